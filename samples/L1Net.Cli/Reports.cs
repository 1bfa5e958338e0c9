using System.Globalization;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Selection;
using Spectre.Console;

namespace L1Net.Cli;

/// <summary>The result tables of <c>train</c>.</summary>
internal static class Reports
{
    public static void Accuracy(IAnsiConsole console, INetwork network, LossFunction loss, params (string Name, Dataset? Data)[] sets)
    {
        var table = new Table().Title("accuracy").AddColumn("set").AddColumn(new TableColumn("rows").RightAligned())
            .AddColumn(new TableColumn("accuracy").RightAligned()).AddColumn(new TableColumn("mean loss").RightAligned());
        foreach ((string name, Dataset? data) in sets)
        {
            if (data is not null)
            {
                table.AddRow(
                    new Text(name),
                    new Text(data.Count.ToString(CultureInfo.InvariantCulture)),
                    new Text(Metrics.Accuracy(network, data).ToString("F4", CultureInfo.InvariantCulture)),
                    new Text(Metrics.MeanLoss(network, data, loss).ToString("F4", CultureInfo.InvariantCulture)));
            }
        }

        console.Write(table);
    }

    /// <summary>
    /// <c>--lambda cv</c>: the CV accuracy at the chosen lambda next to the accuracy on the held-out test rows (which CV never
    /// saw), so the user sees at once whether CV told the truth.
    /// </summary>
    public static void CvAgainstTest(TextWriter output, LambdaScore estimate, string folds, INetwork network, Dataset? test)
    {
        string cv = string.Create(CultureInfo.InvariantCulture, $"CV accuracy {estimate.MeanAccuracy:F4} ± {estimate.AccuracyStandardError:F4} ({folds}, training rows)");
        if (test is null)
        {
            output.WriteLine($"cv/test  {cv}  |  no test rows (--test-split 0)");
        }
        else
        {
            double accuracy = Metrics.Accuracy(network, test);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cv/test  {cv}  |  test accuracy {accuracy:F4} ({test.Count} held-out rows)  |  test - CV {accuracy - estimate.MeanAccuracy:+0.0000;-0.0000;0.0000}"));
        }

        output.Flush();
    }

    public static void Sparsity(IAnsiConsole console, TextWriter output, INetwork network, float threshold, IReadOnlyList<string> featureNames)
    {
        var table = new Table().Title("weights (biases excluded)").AddColumn("layer").AddColumn(new TableColumn("weights").RightAligned())
            .AddColumn(new TableColumn("sum |w|").RightAligned())
            .AddColumn(new TableColumn(string.Create(CultureInfo.InvariantCulture, $"|w| < {threshold:G3}")).RightAligned())
            .AddColumn(new TableColumn("exact zeros").RightAligned());
        for (int l = 0; l < network.Layers.Count; l++)
        {
            LayerInfo layer = network.Layers[l];
            AddRow(table, $"{l + 1}: {layer.InputSize} -> {layer.OutputSize}", WeightStatistics.FromValues(network.GetWeights(l), threshold));
        }

        AddRow(table, "all", WeightStatistics.Compute(network, threshold));
        console.Write(table);

        // An input (or hidden unit) that cannot change any output, by the exact zeros of the weights, is no longer used.
        NetworkSelection selection = NetworkPruner.Analyze(network);
        output.WriteLine($"inputs   {selection.DescribeInputs(featureNames)}");
        if (selection.UnitCount < selection.HiddenUnitCount)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"units    {selection.UnitCount} of {selection.HiddenUnitCount} hidden units used{(selection.Units.Count > 1 ? $" ({string.Join(", ", selection.Units.Select(u => u.Count))} per layer)" : string.Empty)}"));
        }
    }

    private static void AddRow(Table table, string name, WeightStatistics stats) => table.AddRow(
        new Text(name),
        new Text(stats.Count.ToString(CultureInfo.InvariantCulture)),
        new Text(stats.L1Norm.ToString("F4", CultureInfo.InvariantCulture)),
        new Text(stats.BelowThreshold.ToString(CultureInfo.InvariantCulture)),
        new Text(stats.ExactZeros.ToString(CultureInfo.InvariantCulture)));
}
