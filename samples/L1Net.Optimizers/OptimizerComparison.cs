using System.Globalization;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Networks;
using L1Net.Optimization;
using L1Net.Selection;
using L1Net.Training;

namespace L1Net.Optimizers;

/// <summary>
/// Adam with default settings against SGD with tuned settings (issue 13, item 7), by repeated stratified 5-fold
/// cross-validation of one data set. The protocol was fixed before it was run; docs/optimizers.md states it.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Adam, defaults: <c>new TrainerOptions { Optimizer = Optimizer.Adam() }</c> and nothing else, so PyTorch's Adam
/// defaults (learning rate 0.001, betas 0.9 / 0.999, eps 1e-8) with the library's default epochs (100), batch size (1) and
/// sample-order seed.</item>
/// <item>SGD, tuned: the same options with <c>Optimizer.Sgd(rate, momentum)</c> and a batch size from the grid
/// (<see cref="SgdRates"/> x <see cref="SgdMomenta"/> x <see cref="SgdBatchSizes"/>), the grid point chosen on each outer
/// training fold by an inner stratified 4-fold cross-validation (never by the outer test fold), then trained on the whole
/// outer training fold and scored on the outer test fold.</item>
/// <item>Both: features standardized by the library's <see cref="Standardizer"/> fitted on the rows being trained on (the
/// outer training fold; in the inner cross-validation, the inner training rows); network features-16(tanh)-classes(softmax),
/// cross-entropy, Glorot-uniform initial weights seeded by the repeat, the same for every optimizer.</item>
/// <item><see cref="Repeats"/> repeats with fold seeds 0, 1, ...: the mean over all outer folds is reported with the standard
/// error over repeats, and the paired difference Adam - tuned SGD repeat by repeat.</item>
/// </list>
/// For reference, SGD's best grid point judged on the outer test folds themselves is shown too; it flatters SGD (the
/// maximum of many noisy estimates).
/// </remarks>
public static class OptimizerComparison
{
    /// <summary>Folds of the outer cross-validation.</summary>
    public const int Folds = 5;

    /// <summary>Folds of the inner cross-validation that tunes SGD.</summary>
    public const int InnerFolds = 4;

    /// <summary>Repeats of the outer cross-validation (fold seeds 0 to Repeats - 1).</summary>
    public const int Repeats = 10;

    /// <summary>Hidden units (tanh) of the network, <c>features-16-classes</c>, softmax output, cross-entropy.</summary>
    public const int Hidden = 16;

    /// <summary>Epochs of every run: the library's default.</summary>
    public static int Epochs { get; } = new TrainerOptions().Epochs;

    /// <summary>Adam's batch size: the library's default.</summary>
    public static int AdamBatchSize { get; } = new TrainerOptions().BatchSize;

    /// <summary>SGD's grid: learning rates.</summary>
    public static IReadOnlyList<float> SgdRates { get; } = [0.001f, 0.003f, 0.01f, 0.03f, 0.1f, 0.3f];

    /// <summary>SGD's grid: momentum factors.</summary>
    public static IReadOnlyList<float> SgdMomenta { get; } = [0f, 0.9f];

    /// <summary>SGD's grid: batch sizes.</summary>
    public static IReadOnlyList<int> SgdBatchSizes { get; } = [1, 16];

    /// <summary>One SGD grid point.</summary>
    public sealed record SgdSetting(float Rate, float Momentum, int BatchSize)
    {
        /// <summary>The optimizer.</summary>
        public IOptimizer Optimizer => L1Net.Optimization.Optimizer.Sgd(Rate, Momentum);

        /// <inheritdoc />
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Optimizer.Name}, batch {BatchSize}");
    }

    /// <summary>SGD's whole grid, in a fixed order (the first wins ties).</summary>
    public static IReadOnlyList<SgdSetting> SgdGrid { get; } =
        [.. from b in SgdBatchSizes from m in SgdMomenta from r in SgdRates select new SgdSetting(r, m, b)];

    /// <summary>One optimizer's accuracy on every outer fold, repeat by repeat (<c>[repeat][fold]</c>).</summary>
    public sealed record Score(string Optimizer, double[][] Accuracies)
    {
        /// <summary>Mean accuracy of each repeat's 5-fold cross-validation.</summary>
        public double[] RepeatMeans => [.. Accuracies.Select(a => a.Average())];

        /// <summary>Mean accuracy over every outer fold of every repeat.</summary>
        public double Mean => RepeatMeans.Average();

        /// <summary>Standard error of <see cref="Mean"/> over repeats: the sample standard deviation of the repeat means over sqrt(repeats).</summary>
        public double StandardError => OptimizerComparison.StandardError(RepeatMeans);
    }

    /// <summary>Every score on one data set.</summary>
    public sealed record DataSetResult(string Name, int Rows, int Features, int Classes, Score Adam, Score TunedSgd, string[] Chosen, IReadOnlyList<Score> Sgd)
    {
        /// <summary>Adam - tuned SGD, repeat by repeat.</summary>
        public double[] Differences => [.. Adam.RepeatMeans.Zip(TunedSgd.RepeatMeans, (a, s) => a - s)];

        /// <summary>SGD's best grid point by mean accuracy on the outer test folds (the first on ties).</summary>
        public Score BestSgd => Sgd.MaxBy(s => s.Mean)!;
    }

    /// <summary>Runs the comparison on one CSV file (features, then an integer <c>label</c> column).</summary>
    public static DataSetResult Run(string path)
    {
        Dataset data = CsvDataset.Load(path).Dataset;
        var adam = new double[Repeats][];
        var tuned = new double[Repeats][];
        var grid = new double[SgdGrid.Count][][];
        for (int g = 0; g < grid.Length; g++)
        {
            grid[g] = new double[Repeats][];
        }

        var chosen = new List<string>();
        for (int r = 0; r < Repeats; r++)
        {
            int[] fold = DataSplit.KFold(data, Folds, stratified: true, seed: r);
            adam[r] = new double[Folds];
            tuned[r] = new double[Folds];
            for (int g = 0; g < grid.Length; g++)
            {
                grid[g][r] = new double[Folds];
            }

            for (int f = 0; f < Folds; f++)
            {
                Dataset train = data.Subset(Rows(fold, f, test: false));
                Dataset test = data.Subset(Rows(fold, f, test: true));
                int initSeed = r + 1;
                adam[r][f] = Accuracy(train, test, new TrainerOptions { Optimizer = Optimizer.Adam() }, initSeed);
                SgdSetting pick = Tune(train, innerSeed: 1000 + r, initSeed);
                chosen.Add(pick.ToString());
                tuned[r][f] = Accuracy(train, test, Options(pick), initSeed);
                for (int g = 0; g < grid.Length; g++)
                {
                    grid[g][r][f] = Accuracy(train, test, Options(SgdGrid[g]), initSeed);
                }
            }
        }

        return new DataSetResult(
            Path.GetFileNameWithoutExtension(path), data.Count, data.FeatureCount, data.TargetCount,
            new Score(Optimizer.Adam().Name, adam),
            new Score("SGD, tuned by inner cross-validation", tuned),
            [.. chosen],
            [.. SgdGrid.Select((s, g) => new Score(s.ToString(), grid[g]))]);
    }

    /// <summary>SGD's grid point with the best mean accuracy in an inner stratified 4-fold cross-validation of <paramref name="train"/> (the first on ties).</summary>
    public static SgdSetting Tune(Dataset train, int innerSeed, int initSeed)
    {
        int[] fold = DataSplit.KFold(train, InnerFolds, stratified: true, seed: innerSeed);
        var splits = new (Dataset Fit, Dataset Check)[InnerFolds];
        for (int f = 0; f < InnerFolds; f++)
        {
            splits[f] = (train.Subset(Rows(fold, f, test: false)), train.Subset(Rows(fold, f, test: true)));
        }

        SgdSetting best = SgdGrid[0];
        double bestMean = double.NegativeInfinity;
        foreach (SgdSetting candidate in SgdGrid)
        {
            double mean = splits.Average(s => Accuracy(s.Fit, s.Check, Options(candidate), initSeed));
            if (mean > bestMean)
            {
                bestMean = mean;
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>
    /// Standardizes both sets with a <see cref="Standardizer"/> fitted on <paramref name="train"/>, trains a fresh network on it
    /// with <paramref name="options"/>, and returns the accuracy on <paramref name="test"/> (0 when training did not complete).
    /// </summary>
    public static double Accuracy(Dataset train, Dataset test, TrainerOptions options, int initSeed)
    {
        Standardizer scaler = new Standardizer().Fit(train);
        Dataset scaledTrain = scaler.Transform(train);
        Dataset scaledTest = scaler.Transform(test);
        DenseNetwork network = NetworkBuilder.Input(train.FeatureCount).Dense(Hidden, Activation.Tanh).Dense(train.TargetCount, Activation.Softmax)
            .Build(new GlorotUniformInitializer(initSeed));
        TrainingResult result = new BackPropTrainer(options).Train(network, scaledTrain);
        return result.StopReason == TrainingStopReason.Completed ? Metrics.Accuracy(network, scaledTest) : 0;
    }

    /// <summary>The library's defaults with one SGD grid point.</summary>
    public static TrainerOptions Options(SgdSetting setting) => new() { Optimizer = setting.Optimizer, BatchSize = setting.BatchSize };

    /// <summary>Sample standard deviation over sqrt(count).</summary>
    public static double StandardError(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return Math.Sqrt(variance / values.Count);
    }

    private static int[] Rows(int[] fold, int f, bool test) => [.. Enumerable.Range(0, fold.Length).Where(r => (fold[r] == f) == test)];

    /// <summary>Writes the markdown tables of docs/optimizers.md.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<DataSetResult> results)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(c, $"{Repeats} x stratified {Folds}-fold cross-validation (fold seeds 0-{Repeats - 1}), features-{Hidden}(tanh)-classes(softmax), cross-entropy, {Epochs} epochs; mean accuracy over all {Repeats * Folds} outer folds (standard error over repeats)."));
        writer.WriteLine();
        writer.WriteLine("| data set | rows x features, classes | Adam, defaults (batch 1) | SGD tuned by inner CV | Adam - tuned SGD (SE, paired) | repeats Adam >= SGD | SGD's best grid point on the test folds (optimistic) |");
        writer.WriteLine("|---|---|---|---|---|---|---|");
        foreach (DataSetResult r in results)
        {
            Score best = r.BestSgd;
            double[] d = r.Differences;
            writer.WriteLine(string.Create(c, $"| {r.Name} | {r.Rows} x {r.Features}, {r.Classes} | {r.Adam.Mean:F4} ({r.Adam.StandardError:F4}) | {r.TunedSgd.Mean:F4} ({r.TunedSgd.StandardError:F4}) | {d.Average():+0.0000;-0.0000;0.0000} ({StandardError(d):F4}) | {d.Count(x => x >= 0)} of {d.Length} | {best.Mean:F4} ({best.StandardError:F4}), {best.Optimizer} |"));
        }

        writer.WriteLine();
        writer.WriteLine(string.Create(c, $"SGD settings chosen by the inner cross-validation ({Repeats * Folds} outer folds per data set), most frequent first:"));
        writer.WriteLine();
        foreach (DataSetResult r in results)
        {
            IEnumerable<string> counts = r.Chosen.GroupBy(s => s).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(c, $"{g.Key} x{g.Count()}"));
            writer.WriteLine($"- {r.Name}: {string.Join("; ", counts)}");
        }

        writer.WriteLine();
        writer.WriteLine("Adam and SGD's grid, mean accuracy on the outer test folds:");
        writer.WriteLine();
        writer.WriteLine("| optimizer | " + string.Join(" | ", results.Select(r => r.Name)) + " |");
        writer.WriteLine("|---|" + string.Concat(results.Select(_ => "---|")));
        writer.WriteLine($"| {results[0].Adam.Optimizer}, batch {AdamBatchSize} (defaults) | " + string.Join(" | ", results.Select(r => r.Adam.Mean.ToString("F4", c))) + " |");
        for (int i = 0; i < results[0].Sgd.Count; i++)
        {
            writer.WriteLine($"| {results[0].Sgd[i].Optimizer} | " + string.Join(" | ", results.Select(r => r.Sgd[i].Mean.ToString("F4", c))) + " |");
        }
    }
}
