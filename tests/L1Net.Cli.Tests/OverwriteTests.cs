namespace L1Net.Cli.Tests;

/// <summary>
/// Outputs never overwrite inputs (compared by fully resolved path, symbolic links followed), and a symbolic link as an
/// output is written through: the file it points to is replaced atomically and the link stays a link.
/// </summary>
public sealed class OverwriteTests : IDisposable
{
    private const string Data = "a,b,label\n0,0,0\n0,1,0\n1,0,1\n1,1,1\n0.1,0.2,0\n0.9,0.8,1\n";

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string[] Train(string data, string model) => ["train", data, "--test-split", "0", "--hidden", "none", "--epochs", "50", "--lr", "0.5", "--model", model];

    private void AssertRefused(CliResult r, string data, string expected)
    {
        Assert.Equal(expected, r.AssertOneLineError(2));
        Assert.Equal(Data, File.ReadAllText(data));
    }

    [Fact]
    public void Train_refuses_to_save_the_model_over_its_training_data()
    {
        string data = _cli.Write("data.csv", Data);
        AssertRefused(_cli.Run(Train(data, data)), data, $"error: --model {data} is the same file as the training data {data}; refusing to overwrite an input: choose another file.");
    }

    [Fact]
    public void Train_refuses_another_spelling_of_the_training_data()
    {
        string data = _cli.Write("data.csv", Data);
        Directory.CreateDirectory(_cli.PathOf("sub"));
        string other = Path.Combine(_cli.Directory, "sub", "..", ".", "data.csv");
        Assert.Contains("is the same file as the training data", _cli.Run(Train(data, other)).AssertOneLineError(2), StringComparison.Ordinal);
        Assert.Equal(Data, File.ReadAllText(data));
    }

    [Fact]
    public void Train_refuses_a_symbolic_link_to_its_training_data_and_a_link_to_its_folder()
    {
        string data = _cli.Write("data.csv", Data);
        string link = _cli.PathOf("model.json");
        File.CreateSymbolicLink(link, data);
        Assert.Contains("is the same file as the training data", _cli.Run(Train(data, link)).AssertOneLineError(2), StringComparison.Ordinal);

        Directory.CreateSymbolicLink(_cli.PathOf("alias"), _cli.Directory);
        Assert.Contains("is the same file as the training data", _cli.Run(Train(data, Path.Combine(_cli.PathOf("alias"), "data.csv"))).AssertOneLineError(2), StringComparison.Ordinal);
        Assert.Equal(Data, File.ReadAllText(data));
        Assert.True(new FileInfo(link).LinkTarget is not null);
    }

    [Fact]
    public void Train_writes_no_side_file_so_a_file_named_like_the_old_metadata_is_never_touched()
    {
        string data = _cli.Write("d.meta.json", Data);
        Assert.Equal(0, _cli.Run(Train(data, _cli.PathOf("d.json"))).ExitCode);
        Assert.Equal(Data, File.ReadAllText(data));
        Assert.True(File.Exists(_cli.PathOf("d.json")));
    }

    [Fact]
    public void Train_refuses_to_save_over_the_test_file()
    {
        string data = _cli.Write("data.csv", Data);
        string test = _cli.Write("test.csv", Data);
        Assert.Contains("is the same file as the test data", _cli.Run([.. Train(data, test)[..^2], "--test", test, "--model", test]).AssertOneLineError(2), StringComparison.Ordinal);
        Assert.Equal(Data, File.ReadAllText(test));
    }

    [Fact]
    public void Predict_refuses_to_write_over_its_data_or_its_model()
    {
        string data = _cli.Write("data.csv", Data);
        string model = _cli.PathOf("m.json");
        Assert.Equal(0, _cli.Run(Train(data, model)).ExitCode);
        string modelText = File.ReadAllText(model);
        File.CreateSymbolicLink(_cli.PathOf("link.csv"), data);

        AssertRefused(_cli.Run("predict", model, data, "-o", data), data, $"error: --output {data} is the same file as the data being scored {data}; refusing to overwrite an input: choose another file.");
        Assert.Contains("is the same file as the data being scored", _cli.Run("predict", model, data, "-o", _cli.PathOf("link.csv")).AssertOneLineError(2), StringComparison.Ordinal);
        Assert.Contains("is the same file as the model", _cli.Run("predict", model, data, "--output", model).AssertOneLineError(2), StringComparison.Ordinal);
        Assert.Equal(Data, File.ReadAllText(data));
        Assert.Equal(modelText, File.ReadAllText(model));
    }

    [Fact]
    public void Saving_onto_a_symbolic_link_replaces_the_file_it_points_to_and_keeps_the_link()
    {
        string data = _cli.Write("data.csv", Data);
        Directory.CreateDirectory(_cli.PathOf("store"));
        string target = _cli.Write("store/model-v1.json", "old");
        string link = _cli.PathOf("current.json");
        File.CreateSymbolicLink(link, Path.Combine("store", "model-v1.json")); // relative, as ln -s makes them

        CliResult r = _cli.Run(Train(data, link));

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(Path.Combine("store", "model-v1.json"), new FileInfo(link).LinkTarget);
        Assert.StartsWith("{", File.ReadAllText(target), StringComparison.Ordinal);
        Assert.Equal(["current.json", "data.csv", "store"], Directory.GetFileSystemEntries(_cli.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["model-v1.json"], Directory.GetFiles(_cli.PathOf("store")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(0, _cli.Run("predict", link, data).ExitCode);
    }

    [Fact]
    public void Saving_onto_a_dangling_symbolic_link_creates_the_file_it_points_to()
    {
        string data = _cli.Write("data.csv", Data);
        string link = _cli.PathOf("m.json");
        File.CreateSymbolicLink(link, _cli.PathOf("real.json"));

        Assert.Equal(0, _cli.Run(Train(data, link)).ExitCode);

        Assert.Equal(_cli.PathOf("real.json"), new FileInfo(link).LinkTarget);
        Assert.StartsWith("{", File.ReadAllText(_cli.PathOf("real.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_loop_of_symbolic_links_is_one_line_error()
    {
        string data = _cli.Write("data.csv", Data);
        File.CreateSymbolicLink(_cli.PathOf("a.json"), _cli.PathOf("b.json"));
        File.CreateSymbolicLink(_cli.PathOf("b.json"), _cli.PathOf("a.json"));
        Assert.Equal($"error: {_cli.PathOf("a.json")}: too many levels of symbolic links.", _cli.Run(Train(data, _cli.PathOf("a.json"))).AssertOneLineError(1));
    }
}
