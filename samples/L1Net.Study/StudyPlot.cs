using L1Net.Seed;
using ScottPlot;

namespace L1Net.Study;

/// <summary>Draws the study's two panels, mean test accuracy and mean sum |w| against lambda, into a PNG (ScottPlot).</summary>
public static class StudyPlot
{
    /// <summary>Writes the plot.</summary>
    /// <param name="results">The study's outcomes.</param>
    /// <param name="path">The PNG file to write.</param>
    public static void Save(StudyResults results, string path)
    {
        ArgumentNullException.ThrowIfNull(results);
        IReadOnlyList<ArmSummary> summaries = StudySummary.Summarize(results);
        IReadOnlyList<float> lambdas = results.Design.Lambdas;
        double[] xs = [.. lambdas.Select(l => Math.Log10(l))];
        string[] xLabels = [.. lambdas.Select(l => l.ToString("0.#####", System.Globalization.CultureInfo.InvariantCulture))];

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot accuracy = multiplot.GetPlot(0);
        Plot weights = multiplot.GetPlot(1);
        var palette = new ScottPlot.Palettes.Category10();
        int color = 0;
        foreach (IGrouping<(GradientRule Rule, StudyPenalty Penalty), ArmSummary> group in summaries
                     .Where(s => s.Arm.Penalty != StudyPenalty.None)
                     .GroupBy(s => (s.Arm.Rule, s.Arm.Penalty)))
        {
            ArmSummary[] line = [.. group.OrderBy(s => s.Arm.Lambda)];
            Color c = palette.GetColor(color++);
            var dashed = group.Key.Rule == GradientRule.Listing ? LinePattern.Dashed : LinePattern.Solid;
            var a = accuracy.Add.Scatter(xs, line.Select(s => s.TestMean).ToArray(), c);
            a.LegendText = line[0].Arm.Label;
            a.LinePattern = dashed;
            var w = weights.Add.Scatter(xs, line.Select(s => Math.Log10(s.WeightL1Mean)).ToArray(), c);
            w.LegendText = line[0].Arm.Label;
            w.LinePattern = dashed;
        }

        foreach (ArmSummary none in summaries.Where(s => s.Arm.Penalty == StudyPenalty.None))
        {
            Color c = palette.GetColor(color++);
            var a = accuracy.Add.HorizontalLine(none.TestMean, 1.5f, c, LinePattern.Dotted);
            a.LegendText = none.Arm.Label;
            var w = weights.Add.HorizontalLine(Math.Log10(none.WeightL1Mean), 1.5f, c, LinePattern.Dotted);
            w.LegendText = none.Arm.Label;
        }

        accuracy.Title($"Seed experiment over {results.Design.SeedCount} data sets: mean test accuracy (40 rows each)");
        accuracy.Axes.Left.Label.Text = "mean test accuracy";
        weights.Title("mean sum |w| over the 112 weights (log scale)");
        weights.Axes.Left.Label.Text = "mean sum |w|";
        foreach (Plot p in new[] { accuracy, weights })
        {
            p.Axes.Bottom.Label.Text = "lambda (log scale)";
            p.Axes.Bottom.SetTicks(xs, xLabels);
            p.ShowLegend(Edge.Right);
        }

        // Weight sums span orders of magnitude across the arms: they are drawn as log10, with a tick at each power of 10.
        double[] logs = [.. summaries.Select(s => Math.Log10(s.WeightL1Mean))];
        double[] decades = [.. Enumerable.Range((int)Math.Floor(logs.Min()), (int)Math.Ceiling(logs.Max()) - (int)Math.Floor(logs.Min()) + 1).Select(d => (double)d)];
        weights.Axes.Left.SetTicks(decades, [.. decades.Select(d => Math.Pow(10, d).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture))]);
        multiplot.SavePng(path, 1200, 1000);
    }
}
