using L1Net.Selection;
using ScottPlot;

namespace L1Net.Sparsity;

/// <summary>The sample's PNG plots, drawn with ScottPlot.</summary>
internal static class Plots
{
    /// <summary>CV accuracy (with standard-error bars) and nonzero weights against log10(lambda), with lambda.min and lambda.1se marked.</summary>
    public static void AccuracyAndSparsity(CrossValidationResult result, string path)
    {
        double[] x = result.Scores.Select(s => Math.Log10(s.Lambda)).ToArray();
        double[] accuracy = result.Scores.Select(s => s.MeanAccuracy).ToArray();
        double[] error = result.Scores.Select(s => s.AccuracyStandardError).ToArray();
        double[] nonzero = result.Scores.Select(s => (double)s.NonzeroWeights).ToArray();

        var plot = new Plot();
        var line = plot.Add.Scatter(x, accuracy);
        line.LegendText = "CV accuracy (+- 1 SE)";
        var bars = plot.Add.ErrorBar(x, accuracy, error);
        bars.Color = line.Color;

        var right = plot.Axes.AddRightAxis();
        var sparsity = plot.Add.Scatter(x, nonzero);
        sparsity.Axes.YAxis = right;
        sparsity.LegendText = "nonzero weights (all data)";
        sparsity.LinePattern = LinePattern.Dashed;
        right.LabelText = "nonzero weights";

        var min = plot.Add.VerticalLine(Math.Log10(result.LambdaMin));
        min.LegendText = "lambda.min";
        min.LinePattern = LinePattern.Dotted;
        var oneSe = plot.Add.VerticalLine(Math.Log10(result.Lambda1Se));
        oneSe.LegendText = "lambda.1se";

        plot.Title("Wine, 13-8-3 network, proximal L1: 5-fold CV path");
        plot.XLabel("log10(lambda)");
        plot.YLabel("CV accuracy");
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, 900, 560);
    }

    /// <summary>How many weights fall at exactly zero and in each decade of |w|, for each regularizer.</summary>
    public static void WeightHistogram(IReadOnlyList<(string Name, float[] Weights)> series, float lambda, string path)
    {
        string[] labels = ["= 0", "< 1e-6", "1e-6..1e-5", "1e-5..1e-4", "1e-4..1e-3", "1e-3..1e-2", "1e-2..0.1", "0.1..1", ">= 1"];
        var plot = new Plot();
        double width = 0.8 / series.Count;
        for (int s = 0; s < series.Count; s++)
        {
            double[] counts = Bins(series[s].Weights).Select(c => (double)c).ToArray();

            double[] positions = Enumerable.Range(0, labels.Length).Select(i => i - 0.4 + (width * (s + 0.5))).ToArray();
            var bars = plot.Add.Bars(positions, counts);
            bars.LegendText = series[s].Name;
            foreach (Bar bar in bars.Bars)
            {
                bar.Size = width;
            }
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), labels);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Wine, 13-8-3 network: |w| of all 128 weights after training (lambda = {lambda:G3})");
        plot.XLabel("|w|");
        plot.YLabel("number of weights");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 520);
    }

    /// <summary>The histogram's bars: exact zeros, then |w| by decade (&lt; 1e-6, 1e-6..1e-5, ..., 0.1..1, &gt;= 1).</summary>
    public static int[] Bins(IEnumerable<float> weights)
    {
        var counts = new int[9];
        foreach (float w in weights)
        {
            counts[Bin(MathF.Abs(w))]++;
        }

        return counts;
    }

    private static int Bin(float magnitude)
    {
        if (magnitude == 0f)
        {
            return 0;
        }

        if (magnitude >= 1f)
        {
            return 8;
        }

        int decade = (int)Math.Floor(Math.Log10(magnitude));   // -1 for [0.1, 1), ...
        return Math.Clamp(decade + 8, 1, 7);
    }
}
