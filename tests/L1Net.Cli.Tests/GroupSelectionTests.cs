using System.Text.Json;

namespace L1Net.Cli.Tests;

/// <summary>The group regularizers, the inputs line and --prune on the command line.</summary>
public sealed class GroupSelectionTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Group_l1_selects_inputs_prune_saves_the_compact_model_and_predict_reads_its_columns_by_name()
    {
        string model = _cli.PathOf("iris.json");
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "group-l1", "--lambda", "0.2", "--epochs", "100", "--prune", "--no-progress", "--model", model);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("network  4-16 tanh-3 softmax, cross-entropy, GroupLasso(Inputs, 0.2)", r.Output, StringComparison.Ordinal);
        Assert.Contains("inputs   2 of 4 inputs used: petal_length_cm, petal_width_cm", r.Output, StringComparison.Ordinal);
        Assert.Contains("pruned   4-16 tanh-3 softmax -> 2-16 tanh-3 softmax: 99 of 131 parameters, 2 of 4 inputs", r.Output, StringComparison.Ordinal);
        double testAccuracy = TrainCommandTests.Accuracy(r.Output, "test");

        using (JsonDocument meta = JsonDocument.Parse(File.ReadAllText(_cli.PathOf("iris.meta.json"))))
        {
            Assert.Equal(["petal_length_cm", "petal_width_cm"], meta.RootElement.GetProperty("featureNames").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(2, meta.RootElement.GetProperty("mean").GetArrayLength());
        }

        // The saved network has two inputs; predict picks those two columns from the full file.
        CliResult p = _cli.Run("predict", model, CliRunner.Iris);
        Assert.Equal(0, p.ExitCode);
        Assert.StartsWith("accuracy ", Assert.Single(p.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(151, p.OutputLines.Length);
        Assert.InRange(testAccuracy, 0.9, 1.0);

        // A file without one of the kept columns is refused with the column's name.
        string[] lines = File.ReadAllLines(CliRunner.Iris);
        string[] header = lines[0].Split(',');
        int petalWidth = Array.IndexOf(header, "petal_width_cm");
        string partial = _cli.Write("partial.csv", string.Join('\n', lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != petalWidth)))) + "\n");
        CliResult bad = _cli.Run("predict", model, partial);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("petal_width_cm", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_l1_reports_the_hidden_units_used_and_prune_removes_the_others()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "unit-l1", "--lambda", "0.1", "--epochs", "100", "--prune", "--no-progress", "--model", _cli.PathOf("u.json"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("GroupLasso(Units, 0.1)", r.Output, StringComparison.Ordinal);
        Assert.Matches(@"units    \d+ of 16 hidden units used", r.Output);
        Assert.Matches(@"pruned   4-16 tanh-3 softmax -> 4-\d+ tanh-3 softmax", r.Output);
    }

    [Fact]
    public void Sparse_group_l1_takes_the_l1_ratio()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "sparse-group-l1", "--l1-ratio", "0.3", "--lambda", "0.1", "--epochs", "20", "--no-progress", "--model", _cli.PathOf("s.json"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("SparseGroupLasso(Inputs, 0.1, l1Ratio=0.3)", r.Output, StringComparison.Ordinal);
        Assert.Matches(@"inputs   \d of 4 inputs used", r.Output);
    }

    [Fact]
    public void Without_prune_the_full_network_is_saved()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "group-l1", "--lambda", "0.2", "--epochs", "100", "--no-progress", "--model", _cli.PathOf("full.json"));

        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("pruned", r.Output, StringComparison.Ordinal);
        using JsonDocument meta = JsonDocument.Parse(File.ReadAllText(_cli.PathOf("full.meta.json")));
        Assert.Equal(4, meta.RootElement.GetProperty("featureNames").GetArrayLength());
    }
}
