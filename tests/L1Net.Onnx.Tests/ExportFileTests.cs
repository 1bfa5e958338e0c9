namespace L1Net.Onnx.Tests;

/// <summary>
/// <see cref="OnnxExporter.ExportToFile(INetwork, string, OnnxExportOptions?)"/> on awkward targets: its temporary file
/// was the target's name plus 13 characters, so a name near the file system's 255-character limit could not be written
/// ("the path ... .tmp is too long"), and every failure named the temporary file instead of the target.
/// </summary>
public sealed class ExportFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("l1net-onnx-file-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static DenseNetwork Network() =>
        NetworkBuilder.Input(3).Dense(4, Activation.Tanh).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(3));

    [Fact]
    public void A_name_of_250_characters_is_written_and_nothing_else_is_left()
    {
        string path = Path.Combine(_dir.FullName, new string('x', 245) + ".onnx");

        OnnxExporter.ExportToFile(Network(), path);

        Assert.Equal(OnnxExporter.ExportToArray(Network()), File.ReadAllBytes(path));
        Assert.Single(_dir.GetFiles());
    }

    [Fact]
    public void A_directory_as_the_target_is_refused_naming_it()
    {
        string path = _dir.CreateSubdirectory("model.onnx").FullName;

        var e = Assert.Throws<UnauthorizedAccessException>(() => OnnxExporter.ExportToFile(Network(), path));

        Assert.Equal($"Cannot write the ONNX model to '{path}': it is a directory.", e.Message);
        Assert.Empty(_dir.GetFiles());
    }

    [Fact]
    public void A_missing_directory_is_named_not_the_temporary_file()
    {
        string path = Path.Combine(_dir.FullName, "missing", "model.onnx");

        var e = Assert.Throws<DirectoryNotFoundException>(() => OnnxExporter.ExportToFile(Network(), path));

        Assert.Equal($"Cannot write the ONNX model to '{path}': the directory '{Path.GetDirectoryName(path)}' does not exist.", e.Message);
        Assert.DoesNotContain(".tmp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_export_removes_stale_temporaries_of_the_same_target_and_nothing_else()
    {
        // What a kill -9 during ExportToFile leaves: a hidden temporary file beside the target, named like a model save's.
        string stale = Leftover("model.onnx", TimeSpan.FromHours(2));
        string recent = Leftover("model.onnx", TimeSpan.FromMinutes(1));
        string otherTarget = Leftover("other.onnx", TimeSpan.FromDays(3));

        OnnxExporter.ExportToFile(Network(), Path.Combine(_dir.FullName, "model.onnx"));

        string[] files = _dir.GetFiles().Select(f => f.Name).ToArray();
        Assert.DoesNotContain(stale, files);
        Assert.Contains(recent, files);
        Assert.Contains(otherTarget, files);
        Assert.Contains("model.onnx", files);
    }

    private string Leftover(string target, TimeSpan age)
    {
        string name = AtomicFile.TemporaryName(target);
        string path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return name;
    }
}
