using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using L1Net.Serialization;

namespace L1Net.Cli.Tests;

public sealed partial class TrainCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    internal static double Accuracy(string output, string set)
    {
        Match m = AccuracyRow().Match(output.Replace(set == "train" ? "train" : "test ", "@ROW@", StringComparison.Ordinal));
        Assert.True(m.Success, $"no '{set}' accuracy row in:\n{output}");
        return double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"@ROW@\s*[│|]\s*(\d+)\s*[│|]\s*([0-9.]+)\s*[│|]")]
    private static partial Regex AccuracyRow();

    [Fact]
    public void Trains_on_iris_reports_accuracy_and_sparsity_and_saves_one_self_contained_model_file()
    {
        string model = _cli.PathOf("iris.json");
        CliResult r = _cli.Run("train", CliRunner.Iris, "--hidden", "8", "--regularizer", "l1", "--lambda", "0.001", "--epochs", "150", "--model", model);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Error);
        Assert.Contains("150 rows, 4 features, 3 classes; training on 120 rows", r.Output, StringComparison.Ordinal);
        Assert.Contains("30 rows held out (20% of each class, seed 0)", r.Output, StringComparison.Ordinal);
        Assert.Contains("network  4-8 tanh-3 softmax, cross-entropy, L1(0.001)", r.Output, StringComparison.Ordinal);
        Assert.InRange(Accuracy(r.Output, "train"), 0.9, 1.0);
        Assert.InRange(Accuracy(r.Output, "test"), 0.9, 1.0);
        Assert.Matches(@"[│|] all\s*[│|]\s*56\s*[│|]\s*[0-9]+\.[0-9]{4}\s*[│|]\s*\d+\s*[│|]\s*\d+\s*[│|]", r.Output);
        Assert.Contains("|w| < 0.001", r.Output, StringComparison.Ordinal);
        Assert.Contains("inputs   4 of 4 inputs used: sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm", r.Output, StringComparison.Ordinal);

        Assert.Equal(["iris.json"], Directory.GetFiles(_cli.Directory).Select(Path.GetFileName));
        ClassificationModel saved = ModelSerializer.LoadFromFile(model);
        Assert.Equal(["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"], saved.FeatureNames);
        Assert.Equal(["0", "1", "2"], saved.ClassNames);
        Assert.Equal("label", saved.LabelName);
        var scaler = Assert.IsType<Standardizer>(saved.Preprocessor);
        Assert.True(scaler.Scales.ToArray().All(v => v > 0f));
        ModelProvenance p = saved.Provenance!;
        Assert.Equal(("L1(0.001)", 0.001f, 150, 120, 0), (p.Regularizer, p.Lambda, p.Epochs, p.TrainingRows, p.Seed));
        Assert.Equal(ModelProvenance.CurrentLibraryVersion, p.LibraryVersion);
        Assert.InRange(p.TrainedAt, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void The_same_seed_gives_the_same_model_file_and_another_seed_does_not()
    {
        string[] common = ["train", CliRunner.Iris, "--epochs", "20", "--hidden", "5,4", "--activation", "relu", "--batch-size", "1"];
        Assert.Equal(0, _cli.Run([.. common, "--model", _cli.PathOf("a.json")]).ExitCode);
        Assert.Equal(0, _cli.Run([.. common, "--model", _cli.PathOf("b.json")]).ExitCode);
        Assert.Equal(0, _cli.Run([.. common, "--seed", "1", "--model", _cli.PathOf("c.json")]).ExitCode);

        // Everything but the training date is the same.
        static string Read(string path) => Regex.Replace(File.ReadAllText(path), "\"trainedAt\": \"[^\"]+\"", "\"trainedAt\": \"\"");
        string a = Read(_cli.PathOf("a.json"));
        Assert.Equal(a, Read(_cli.PathOf("b.json")));
        Assert.NotEqual(a, Read(_cli.PathOf("c.json")));
        Assert.Contains("\"activation\": \"ReLU\"", a, StringComparison.Ordinal);
    }

    [Fact]
    public void A_separate_test_file_is_used_instead_of_a_split()
    {
        string train = _cli.Write("train.csv", "a,b,label\n0,0,0\n0,1,0\n1,0,1\n1,1,1\n0.1,0.2,0\n0.9,0.8,1\n");
        string test = _cli.Write("test.csv", "a,b,label\n0.05,0.5,0\n0.95,0.5,1\n");
        CliResult r = _cli.Run("train", train, "--test", test, "--hidden", "none", "--epochs", "300", "--learning-rate", "0.5", "--model", _cli.PathOf("m.json"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"test     {test}: 2 rows", r.Output, StringComparison.Ordinal);
        Assert.Contains("network  2-2 softmax", r.Output, StringComparison.Ordinal);
        Assert.Equal(1.0, Accuracy(r.Output, "train"));
        Assert.Equal(1.0, Accuracy(r.Output, "test"));
    }

    [Fact]
    public void Test_split_zero_trains_on_every_row_without_a_test_row()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--test-split", "0", "--epochs", "5", "--model", _cli.PathOf("m.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("training on 150 rows", r.Output, StringComparison.Ordinal);
        Assert.Contains("test     none (--test-split 0)", r.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"[│|] test ", r.Output);
    }

    [Theory]
    [InlineData("none", "0 of 32 inputs", "no regularization")]
    [InlineData("l2", "L2(0.001)", "default lambda")]
    [InlineData("elasticnet", "ElasticNet(0.0005, 0.0005)", "half and half by default")]
    [InlineData("proximal-l1", "ProximalL1(0.001)", "default lambda")]
    [InlineData("cumulative-l1", "CumulativeL1(0.001)", "default lambda")]
    [InlineData("proximal-elasticnet", "ProximalElasticNet(0.0005, 0.0005)", "half and half by default")]
    public void Each_regularizer_is_named_in_the_report(string name, string expected, string because)
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", name, "--epochs", "3", "--model", _cli.PathOf("m.json"));
        Assert.Equal(0, r.ExitCode);
        if (name == "none")
        {
            Assert.Contains("cross-entropy, None", r.Output, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(r.Output.Contains(expected, StringComparison.Ordinal), $"{because}: expected '{expected}' in\n{r.Output}");
        }
    }

    [Fact]
    public void Squared_error_and_raw_features_are_honoured()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--loss", "squared", "--no-standardize", "--epochs", "3", "--model", _cli.PathOf("m.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("squared error", r.Output, StringComparison.Ordinal);
        Assert.Contains("raw features", r.Output, StringComparison.Ordinal);
        using JsonDocument model = JsonDocument.Parse(File.ReadAllText(_cli.PathOf("m.json")));
        Assert.Equal(JsonValueKind.Null, model.RootElement.GetProperty("preprocessing").ValueKind);
    }

    [Fact]
    public void A_diverging_run_fails_in_one_line_and_saves_nothing()
    {
        string model = _cli.PathOf("m.json");
        string line = _cli.Run("train", CliRunner.Iris, "--learning-rate", "1e30", "--loss", "squared", "--activation", "identity", "--epochs", "50", "--model", model).AssertOneLineError(1);
        Assert.Contains("training diverged", line, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void Help_lists_the_options_and_exits_zero()
    {
        CliResult r = _cli.Run("train", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string option in new[] { "--hidden", "--activation", "--loss", "--regularizer", "proximal-l1", "--lambda", "--folds", "--cv-rule", "--cv-relax", "--max-inputs", "--cv-measure", "--cv-lambdas", "--epochs", "--learning-rate", "--batch-size", "--seed", "--test-split", "--test", "--no-standardize", "--model" })
        {
            Assert.Contains(option, r.Output, StringComparison.Ordinal);
        }
    }
}
