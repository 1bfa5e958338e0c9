using System.Globalization;
using L1Net.Data;
using L1Net.Regularization;
using L1Net.Seed;

namespace L1Net.Demo;

/// <summary>
/// The seed demo's report: the article's data, its published run reproduced exactly (the listing's initial weights,
/// epoch shuffles, diagonal softmax signal and sign-error "L1", plugged into L1Net's public seams), then the same data,
/// initial weights and sample order trained with L1Net's own math, and a few sentences on what the numbers show.
/// </summary>
public static class SeedDemoReport
{
    /// <summary>The listing's regularization strength <c>lamda</c>, used for every regularizer of the demo.</summary>
    public const float Lambda = 0.001f;

    /// <summary>The runs of the comparison table, in order: the listing's two, then L1Net's.</summary>
    /// <remarks>Add a row here and it appears in the table; <see cref="Conclusions"/> finds the rows it discusses by index.</remarks>
    public static IReadOnlyList<SeedRun> Runs { get; } =
    [
        new("listing, no L1", GradientRule.Listing, Regularizer.None),
        new("listing, published \"L1\"", GradientRule.Listing, new PublishedL1Regularizer(Lambda)),
        new("L1Net, none", GradientRule.True, Regularizer.None),
        new("L1Net, L1(0.001)", GradientRule.True, Regularizer.L1(Lambda)),
        new("L1Net, L2(0.001)", GradientRule.True, Regularizer.L2(Lambda)),
        new("L1Net, ElasticNet(0.001, 0.001)", GradientRule.True, Regularizer.ElasticNet(Lambda, Lambda)),
        new("L1Net, ProximalL1(0.001)", GradientRule.True, Regularizer.ProximalL1(Lambda)),
        new("L1Net, CumulativeL1(0.001)", GradientRule.True, Regularizer.CumulativeL1(Lambda)),
    ];

    /// <summary>Trains every run of <see cref="Runs"/> and writes the whole report.</summary>
    /// <param name="writer">Receives the report.</param>
    /// <returns>The results, in the order of <see cref="Runs"/>.</returns>
    public static IReadOnlyList<SeedRunResult> Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        SeedRows trainRows = SeedData.Train();
        SeedRows testRows = SeedData.Test();
        Dataset train = trainRows.ToDataset();
        Dataset test = testRows.ToDataset();

        writer.WriteLine("Neural network L1 regularization: the 2017 article's demo, reproduced with L1Net");
        writer.WriteLine();
        writer.WriteLine("Generating dummy training and test data (10-15-4 generator from Random(3), rows from Random(16) and Random(18))");
        writer.WriteLine();
        writer.WriteLine("Training data:");
        WriteRowsPartial(writer, trainRows, 4);
        writer.WriteLine();
        writer.WriteLine("Test data:");
        WriteRowsPartial(writer, testRows, 4);
        writer.WriteLine();
        writer.WriteLine("Creating a 10-8-4 neural network classifier");
        writer.WriteLine(Invariant($"Setting maxEpochs = {SeedRun.ListingEpochs}"));
        writer.WriteLine(Invariant($"Setting learning rate = {SeedRun.LearningRate:F3}"));

        var results = new SeedRunResult[Runs.Count];
        results[0] = SeedRunner.Run(Runs[0], train, test);
        writer.WriteLine();
        writer.WriteLine("Starting training without L1 regularization");
        WriteErrors(writer, results[0]);
        writer.WriteLine("Training complete");
        writer.WriteLine(Invariant($"Accuracy on train data no L1 regularization = {results[0].TrainAccuracy:F4}"));
        writer.WriteLine(Invariant($"Accuracy on test data no L1 regularization = {results[0].TestAccuracy:F4}"));

        results[1] = SeedRunner.Run(Runs[1], train, test);
        writer.WriteLine();
        writer.WriteLine(Invariant($"Starting training with L1 regularization ( rate = {Lambda:F3} )"));
        WriteErrors(writer, results[1]);
        writer.WriteLine("Training complete");
        writer.WriteLine(Invariant($"Accuracy on train data with L1 regularization = {results[1].TrainAccuracy:F4}"));
        writer.WriteLine(Invariant($"Accuracy on test data with L1 regularization = {results[1].TestAccuracy:F4}"));
        writer.WriteLine();
        writer.WriteLine("(The article published 0.9400 / 0.5500 without and 0.9450 / 0.6750 with its L1.)");

        for (int i = 2; i < Runs.Count; i++)
        {
            results[i] = SeedRunner.Run(Runs[i], train, test, reportErrors: false);
        }

        writer.WriteLine();
        writer.WriteLine("The same data, initial weights and sample order, side by side. \"listing\" rows use the listing's");
        writer.WriteLine("diagonal softmax signal; \"L1Net\" rows use the true gradient and L1Net's regularizers.");
        writer.WriteLine("Weight columns count the 112 weights, not the 12 biases.");
        writer.WriteLine();
        WriteTable(writer, results);
        writer.WriteLine();
        foreach (string sentence in Conclusions(results))
        {
            WriteWrapped(writer, sentence, 110);
        }

        return results;
    }

    /// <summary>The closing sentences, worded from the numbers (every comparison in them is computed, not assumed).</summary>
    /// <param name="results">The results of <see cref="Runs"/>, in order.</param>
    /// <returns>The sentences.</returns>
    public static IReadOnlyList<string> Conclusions(IReadOnlyList<SeedRunResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        SeedRunResult listingNone = results[0], published = results[1], none = results[2], l1 = results[3], l2 = results[4];
        double growth = published.Weights.L1Norm / listingNone.Weights.L1Norm;
        int testRows = SeedData.ArticleTestRowCount;
        int moreRight = (int)Math.Round((published.TestAccuracy - listingNone.TestAccuracy) * testRows);

        var sentences = new List<string>();
        sentences.Add(Invariant(
            $"The published \"L1\" {(growth > 1 ? "grew" : "shrank")} the weights: sum |w| went from {listingNone.Weights.L1Norm:F2} to {published.Weights.L1Norm:F2} ({growth:F2} times), ") +
            (growth > 1
                ? "because its sign error pushes every weight away from zero; "
                : "; ") +
            Invariant($"so its test accuracy ({listingNone.TestAccuracy:F4} -> {published.TestAccuracy:F4}, {SignedCount(moreRight)} of {testRows} rows) is not the work of a penalty on large weights."));

        double l1Ratio = l1.Weights.L1Norm / none.Weights.L1Norm;
        double l2Ratio = l2.Weights.L1Norm / none.Weights.L1Norm;
        sentences.Add(Invariant(
            $"With the true gradient, L1Net's L1(0.001) {(l1Ratio < 1 ? "shrank" : "grew")} sum |w| to {100 * l1Ratio:F0}% of the unregularized run's ({l1.Weights.L1Norm:F2} vs {none.Weights.L1Norm:F2}) and L2(0.001) to {100 * l2Ratio:F0}%, ") +
            Invariant($"with test accuracy {l1.TestAccuracy:F4} and {l2.TestAccuracy:F4} against {none.TestAccuracy:F4} without: on 40 test rows one row is 0.025, and docs/seed-study.md repeats this over many data seeds."));

        int l1Zeros = l1.Weights.ExactZeros;
        sentences.Add(Invariant(
            $"L1 by subgradient leaves {l1.Weights.BelowThreshold} of 112 weights below 1e-3 and {(l1Zeros == 0 ? "none" : l1Zeros.ToString(CultureInfo.InvariantCulture))} exactly at zero, ") +
            "because each step moves a weight by a fixed amount and steps over zero; exact zeros need a proximal (soft-thresholding) step.");

        SeedRunResult proximal = results[6], cumulative = results[7];
        int proximalZeros = proximal.Weights.ExactZeros, cumulativeZeros = cumulative.Weights.ExactZeros;
        double normChange = (proximal.Weights.L1Norm / l1.Weights.L1Norm) - 1;
        sentences.Add(
            (proximalZeros > l1Zeros
                ? Invariant($"With that step (the same lambda, soft-thresholding after every update) ProximalL1(0.001) ends with {proximalZeros} of 112 weights exactly zero ({proximal.Weights.BelowThreshold} below 1e-3)")
                : Invariant($"Even with that step ProximalL1(0.001) ends with {Count(proximalZeros)} of 112 weights exactly zero ({proximal.Weights.BelowThreshold} below 1e-3)")) +
            Invariant($" and sum |w| {proximal.Weights.L1Norm:F2} ({(Math.Abs(normChange) < 0.01 ? "within 1% of" : normChange < 0 ? $"{-100 * normChange:F0}% below" : $"{100 * normChange:F0}% above")} the subgradient run's), ") +
            Invariant($"and CumulativeL1(0.001), which also makes a weight kicked off zero pay the penalty it was spared, ends with {Count(cumulativeZeros)} exactly zero ({cumulative.Weights.BelowThreshold} below 1e-3); ") +
            Invariant($"their test accuracies are {proximal.TestAccuracy:F4} and {cumulative.TestAccuracy:F4} against {l1.TestAccuracy:F4} for the subgradient L1{(proximalZeros + cumulativeZeros > 0 ? ", and a weight that is exactly zero is one a smaller model can leave out" : string.Empty)}."));
        return sentences;
    }

    /// <summary>Writes <paramref name="text"/> in lines of at most <paramref name="width"/> characters, breaking at spaces.</summary>
    private static void WriteWrapped(TextWriter writer, string text, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (string word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                writer.WriteLine(line.ToString());
                line.Clear();
            }

            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        writer.WriteLine(line.ToString());
    }

    private static string Count(int n) => n == 0 ? "none" : n.ToString(CultureInfo.InvariantCulture);

    private static string SignedCount(int n) => n >= 0 ? Invariant($"{n} more") : Invariant($"{-n} fewer");

    private static void WriteErrors(TextWriter writer, SeedRunResult result)
    {
        foreach ((int epoch, double error) in result.Errors)
        {
            writer.WriteLine(Invariant($"epoch = {epoch} ms error = {error:F4}"));
        }
    }

    private static void WriteTable(TextWriter writer, IReadOnlyList<SeedRunResult> results)
    {
        int width = Math.Max(3, results.Max(r => r.Run.Label.Length));
        writer.WriteLine(Invariant($"{"run".PadRight(width)}   train    test   sum |w|  |w|<1e-3  zeros"));
        foreach (SeedRunResult r in results)
        {
            writer.WriteLine(Invariant($"{r.Run.Label.PadRight(width)}  {r.TrainAccuracy,6:F4}  {r.TestAccuracy,6:F4}  {r.Weights.L1Norm,8:F3}  {r.Weights.BelowThreshold,8}  {r.Weights.ExactZeros,5}"));
        }
    }

    /// <summary>The listing's <c>showMatrixPartial(m, n, 1, True)</c>: the first rows, an ellipsis, the last row; inputs then one-hot targets, one decimal.</summary>
    private static void WriteRowsPartial(TextWriter writer, SeedRows rows, int count)
    {
        int last = rows.RowCount - 1;
        int width = last.ToString(CultureInfo.InvariantCulture).Length;
        for (int r = 0; r < count; r++)
        {
            WriteRow(writer, rows, r, width);
        }

        writer.WriteLine(" . . . ");
        WriteRow(writer, rows, last, width);
    }

    private static void WriteRow(TextWriter writer, SeedRows rows, int r, int width)
    {
        var line = new System.Text.StringBuilder();
        line.Append('[').Append(r.ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append("] ");
        ReadOnlySpan<float> features = rows.GetFeatures(r);
        for (int i = 0; i < features.Length; i++)
        {
            AppendValue(line, features[i]);
        }

        for (int k = 0; k < rows.ClassCount; k++)
        {
            AppendValue(line, k == rows.Labels[r] ? 1f : 0f);
        }

        writer.WriteLine(line.ToString().TrimEnd());
    }

    private static void AppendValue(System.Text.StringBuilder line, float x)
    {
        if (x >= 0f)
        {
            line.Append(' ');
        }

        line.Append(x.ToString("F1", CultureInfo.InvariantCulture)).Append("  ");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
