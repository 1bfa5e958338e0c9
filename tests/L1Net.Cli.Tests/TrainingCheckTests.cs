using System.Reflection;
using L1Net.Serialization;

namespace L1Net.Cli.Tests;

/// <summary>
/// A run that stays finite but learned nothing (a diverging learning rate, a lambda that zeroed the network, exploded
/// weights) says so on standard error and exits with 3; its model is still saved. NaN or infinity stays exit 1, no model.
/// </summary>
public sealed class TrainingCheckTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void A_learning_rate_of_50_warns_that_the_loss_is_worse_than_the_class_frequencies_and_exits_3()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--lr", "50", "--model", _cli.PathOf("m.json"));

        Assert.Equal(3, r.ExitCode);
        string warning = Assert.Single(r.ErrorLines);
        Assert.Matches(@"^warning: the training loss \d+\.\d{4} is worse than that of always predicting the class frequencies \(1\.0986\): training diverged or oscillated; try a smaller --learning-rate\.$", warning);
        Assert.True(File.Exists(_cli.PathOf("m.json")));
    }

    [Fact]
    public void A_lambda_that_zeroes_the_network_warns_of_chance_level()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "proximal-l1", "--lambda", "10", "--epochs", "20", "--model", _cli.PathOf("m.json"));

        Assert.Equal(3, r.ExitCode);
        Assert.Equal(
            "warning: the training accuracy 0.3333 is at chance level: always predicting class 0 scores 0.3333; the model learned nothing (a smaller --learning-rate, a smaller --lambda or more --epochs may help).",
            Assert.Single(r.ErrorLines));
    }

    [Fact]
    public void A_sound_run_has_no_warning_and_exits_0()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--epochs", "30", "--model", _cli.PathOf("m.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Error);
    }

    [Fact]
    public void Exploded_weights_are_reported_on_the_scale_of_standardized_features()
    {
        Dataset data = Dataset.FromLabels([0f, 0f, 1f, 1f, 0f, 1f, 1f, 0f], 2, [0, 1, 1, 0], 2);
        DenseNetwork network = NetworkBuilder.Input(2).Dense(2, Activation.Softmax).Build();
        network.GetWeights(0)[1] = 5000f;
        Assert.Contains(TrainingCheck.Warnings(network, data, LossFunction.CrossEntropy, null), w => w.StartsWith("the weights exploded: the largest |weight| is 5000 (layer 1)", StringComparison.Ordinal));

        // With raw features whose standard deviation is 1e-4, a weight of 5000 moves the pre-activation by 0.5 per
        // standard deviation: not exploded.
        Assert.DoesNotContain(TrainingCheck.Warnings(network, data, LossFunction.CrossEntropy, [1e-4f, 1e-4f]), w => w.StartsWith("the weights exploded", StringComparison.Ordinal));
    }

    [Fact]
    public void NaN_divergence_is_still_an_error_with_no_model()
    {
        string model = _cli.PathOf("m.json");
        string line = _cli.Run("train", CliRunner.Iris, "--lr", "1e30", "--loss", "squared", "--activation", "identity", "--epochs", "50", "--model", model).AssertOneLineError(1);
        Assert.Contains("training diverged", line, StringComparison.Ordinal);
        Assert.False(File.Exists(model));
    }
}

/// <summary>Messages that leaked internals, and the version.</summary>
public sealed class MessageTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Version_is_the_librarys_informational_version()
    {
        CliResult r = _cli.Run("--version");
        Assert.Equal(0, r.ExitCode);
        string expected = typeof(DenseNetwork).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(expected, r.Output.Trim());
        Assert.StartsWith(typeof(DenseNetwork).Assembly.GetName().Version!.ToString(3), expected, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_overflows_the_models_standardization_names_the_row_and_column()
    {
        string data = _cli.Write("data.csv", "a,b,label\n0,0,0\n0,1,0\n1,0,1\n1,1,1\n");
        string model = _cli.PathOf("m.json");
        Assert.Equal(0, _cli.Run("train", data, "--test-split", "0", "--hidden", "none", "--epochs", "100", "--lr", "0.5", "--model", model).ExitCode);
        string huge = _cli.Write("huge.csv", "a,b\n0.5,0.5\n0.5,-3e38\n");

        string line = _cli.Run("predict", model, huge).AssertOneLineError(1);

        Assert.Equal($"error: {huge}, data row 2, column 'b': -3E+38 is too far from the values the model was trained on (mean 0.5, standard deviation 0.5): standardized it overflows to infinity.", line);
        Assert.DoesNotContain("(Parameter", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_file_that_overflows_the_standardization_names_the_row_and_column()
    {
        string data = _cli.Write("data.csv", "a,b,label\n0,0,0\n0,1,0\n1,0,1\n1,1,1\n");
        string test = _cli.Write("test.csv", "a,b,label\n3e38,0,0\n");
        string line = _cli.Run("train", data, "--test", test, "--epochs", "1", "--model", _cli.PathOf("m.json")).AssertOneLineError(1);
        Assert.StartsWith($"error: {test}, data row 1, column 'a': 3E+38 is too far from the values", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_model_with_more_than_65536_outputs_predicts()
    {
        const int Classes = 70_000;
        DenseNetwork network = NetworkBuilder.Input(1).Dense(Classes, Activation.Softmax).Build();
        network.GetBiases(0)[69_999] = 20f;
        string model = _cli.PathOf("wide.json");
        NetworkSerializer.SaveToFile(network, model);
        string data = _cli.Write("x.csv", "x,label\n0.5,7\n1.5,65535\n");

        CliResult r = _cli.Run("predict", model, data, "-o", _cli.PathOf("p.csv"));

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("(0 of 2 rows)", r.Output, StringComparison.Ordinal);
        string[] lines = File.ReadAllLines(_cli.PathOf("p.csv"));
        Assert.Equal(3, lines.Length);
        Assert.EndsWith(",p_69999", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("69999,", lines[1], StringComparison.Ordinal);
    }
}
