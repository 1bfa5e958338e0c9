using System.Text;
using L1Net.Serialization;
using L1Net.Tests.Reliability;

namespace L1Net.Tests.Serialization;

/// <summary>
/// What <see cref="NetworkSerializer.SaveToFile"/> leaves on disk and what its errors say: bounded temporary names,
/// leftovers of killed saves swept, the target path (not the temporary file) in error messages.
/// </summary>
public sealed class FileSafetyTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("l1net-files-");

    private string Target => Path.Combine(_dir.FullName, "model.json");

    public void Dispose() => _dir.Delete(recursive: true);

    private string[] Files() => _dir.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData(216)]
    [InlineData(255)]
    public void A_name_as_long_as_the_file_system_allows_can_be_saved(int length)
    {
        // ext4, xfs, tmpfs, NTFS: 255 bytes (or UTF-16 units) per name. The temporary name used to be 39 characters longer
        // than the target's, so names above about 215 characters could not be saved at all.
        string name = new string('m', length - 5) + ".json";
        string path = Path.Combine(_dir.FullName, name);
        DenseNetwork network = Fixtures.Network();

        NetworkSerializer.SaveToFile(network, path);

        Assert.Equal([name], Files());
        Fixtures.AssertBitIdentical(Fixtures.Bits(network), NetworkSerializer.LoadFromFile(path));
    }

    [Fact]
    public void The_temporary_name_is_bounded_and_never_splits_a_surrogate_pair()
    {
        string longName = new string('x', 39) + "\U0001F600" + new string('y', 200);
        string temp = AtomicFile.TemporaryName(longName);

        Assert.True(temp.Length <= NetworkSerializer.MaxTemporaryNameLength, temp);
        Assert.StartsWith("." + new string('x', 39) + ".", temp, StringComparison.Ordinal);
        Assert.EndsWith(".tmp", temp, StringComparison.Ordinal);
        Assert.True(NetworkSerializer.MaxTemporaryNameLength <= 80);

        // Different targets sharing a 40-character prefix get different stems (the hash covers the whole name).
        Assert.NotEqual(AtomicFile.TemporaryStem(new string('a', 50) + "1"), AtomicFile.TemporaryStem(new string('a', 50) + "2"));
        Assert.Equal(AtomicFile.TemporaryStem("model.json"), AtomicFile.TemporaryStem("model.json"));
    }

    [Fact]
    public void A_save_removes_stale_temporaries_of_the_same_target_and_nothing_else()
    {
        // What a kill -9 during SaveToFile leaves: a hidden temporary file beside the target, named by our pattern.
        string stale = Leftover("model.json", TimeSpan.FromHours(2));
        string staleLongName = Leftover(new string('q', 230), TimeSpan.FromDays(3));
        string recent = Leftover("model.json", TimeSpan.FromMinutes(1));
        string otherTarget = Leftover("other.json", TimeSpan.FromDays(3));
        string lookalike = Create(".model.json.notahash.0123456789abcdef.tmp", TimeSpan.FromDays(3));
        string lookalike2 = Create(AtomicFile.TemporaryStem("model.json") + "0123456789ABCDEF.tmp", TimeSpan.FromDays(3));
        string locked = Leftover("model.json", TimeSpan.FromDays(3));

        using (new FileStream(Path.Combine(_dir.FullName, locked), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            NetworkSerializer.SaveToFile(Fixtures.Network(), Target);
        }

        string[] files = Files();
        Assert.DoesNotContain(stale, files);
        Assert.Contains(recent, files);
        Assert.Contains(otherTarget, files);
        Assert.Contains(lookalike, files);
        Assert.Contains(lookalike2, files);
        Assert.Contains(locked, files);
        Assert.Contains(staleLongName, files);
        Assert.Contains("model.json", files);

        // Saving the long-named target sweeps its own leftover.
        NetworkSerializer.SaveToFile(Fixtures.Network(), Path.Combine(_dir.FullName, new string('q', 230)));
        Assert.DoesNotContain(staleLongName, Files());
    }

    [Fact]
    public void Saving_into_a_missing_directory_names_the_target_not_the_temporary_file()
    {
        string path = Path.Combine(_dir.FullName, "missing", "model.json");

        DirectoryNotFoundException e = Assert.Throws<DirectoryNotFoundException>(() => NetworkSerializer.SaveToFile(Fixtures.Network(), path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", e.Message, StringComparison.Ordinal);
        Assert.Empty(_dir.GetFileSystemInfos());
    }

    [Fact]
    public void Saving_below_a_file_names_the_target()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "plain"), "x");
        string path = Path.Combine(_dir.FullName, "plain", "model.json");

        Exception e = Assert.ThrowsAny<IOException>(() => NetworkSerializer.SaveToFile(Fixtures.Network(), path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_onto_a_directory_fails_names_the_target_and_leaves_nothing_behind()
    {
        string path = Path.Combine(_dir.FullName, "folder");
        Directory.CreateDirectory(path);

        Exception e = Assert.ThrowsAny<Exception>(() => NetworkSerializer.SaveToFile(Fixtures.Network(), path));

        Assert.True(e is IOException or UnauthorizedAccessException, e.GetType().Name);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", e.Message, StringComparison.Ordinal);
        Assert.Empty(_dir.GetFiles());
    }

    [Fact]
    public void Loading_from_a_missing_directory_or_a_directory_throws_the_documented_types()
    {
        Assert.Throws<DirectoryNotFoundException>(() => NetworkSerializer.LoadFromFile(Path.Combine(_dir.FullName, "missing", "model.json")));
        Assert.Throws<FileNotFoundException>(() => NetworkSerializer.LoadFromFile(Path.Combine(_dir.FullName, "model.json")));
        Assert.Throws<UnauthorizedAccessException>(() => NetworkSerializer.LoadFromFile(_dir.FullName));
    }

    private string Leftover(string target, TimeSpan age) =>
        Create(AtomicFile.TemporaryName(target), age);

    private string Create(string name, TimeSpan age)
    {
        string path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, "{\"format\":", Encoding.UTF8);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return name;
    }
}
