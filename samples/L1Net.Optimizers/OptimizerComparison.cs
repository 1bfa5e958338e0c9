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
/// Adam with PyTorch's default settings (lr 0.001, betas 0.9 / 0.999, eps 1e-8) against SGD with the learning rate and
/// momentum that score best, on 5-fold stratified cross-validation of one data set: the same folds, network, initial
/// weights, epochs, batch size and sample order for every optimizer; features standardized with each training fold's mean
/// and standard deviation.
/// </summary>
/// <remarks>
/// SGD is tuned two ways: by nested cross-validation (on each outer training fold, an inner 4-fold cross-validation picks
/// the grid point, which is then trained on the whole outer training fold and scored on the outer test fold: an honest
/// estimate of tuned SGD), and, for reference, by the best mean accuracy over its grid on the outer test folds themselves
/// (which flatters SGD: the maximum of ten noisy estimates).
/// </remarks>
public static class OptimizerComparison
{
    /// <summary>Folds of the cross-validation.</summary>
    public const int Folds = 5;

    /// <summary>Epochs of every training run.</summary>
    public const int Epochs = 200;

    /// <summary>Rows per step.</summary>
    public const int BatchSize = 16;

    /// <summary>Hidden units (tanh) of the network, <c>features-16-classes</c>, softmax output, cross-entropy.</summary>
    public const int Hidden = 16;

    /// <summary>SGD's grid: learning rates.</summary>
    public static IReadOnlyList<float> SgdRates { get; } = [0.001f, 0.01f, 0.03f, 0.1f, 0.3f];

    /// <summary>SGD's grid: momentum factors.</summary>
    public static IReadOnlyList<float> SgdMomenta { get; } = [0f, 0.9f];

    /// <summary>One optimizer's fold accuracies.</summary>
    public sealed record Score(string Optimizer, double[] FoldAccuracies)
    {
        /// <summary>Mean accuracy over the folds.</summary>
        public double Mean => FoldAccuracies.Average();

        /// <summary>Sample standard deviation over the folds.</summary>
        public double StandardDeviation
        {
            get
            {
                double mean = Mean;
                return Math.Sqrt(FoldAccuracies.Sum(a => (a - mean) * (a - mean)) / (FoldAccuracies.Length - 1));
            }
        }
    }

    /// <summary>Every score on one data set.</summary>
    public sealed record DataSetResult(string Name, int Rows, int Features, int Classes, Score Adam, Score TunedSgd, IReadOnlyList<Score> Sgd)
    {
        /// <summary>SGD's best grid point by mean accuracy (the first on ties).</summary>
        public Score BestSgd => Sgd.MaxBy(s => s.Mean)!;
    }

    /// <summary>Runs the comparison on one CSV file (features, then an integer <c>label</c> column).</summary>
    public static DataSetResult Run(string path)
    {
        Dataset data = CsvDataset.Load(path).Dataset;
        int[] fold = DataSplit.KFold(data, Folds, stratified: true, seed: 0);
        var adam = new double[Folds];
        var tuned = new double[Folds];
        var chosen = new string[Folds];
        var sgd = new List<(string Name, IOptimizer Optimizer, double[] Accuracies)>();
        foreach (float momentum in SgdMomenta)
        {
            foreach (float rate in SgdRates)
            {
                sgd.Add((Optimizer.Sgd(rate, momentum).Name, Optimizer.Sgd(rate, momentum), new double[Folds]));
            }
        }

        for (int f = 0; f < Folds; f++)
        {
            (Dataset train, Dataset test) = Standardized(data, fold, f);
            adam[f] = Accuracy(train, test, Optimizer.Adam());
            IOptimizer pick = Tune(train);
            chosen[f] = pick.Name;
            tuned[f] = Accuracy(train, test, pick);
            foreach ((_, IOptimizer optimizer, double[] accuracies) in sgd)
            {
                accuracies[f] = Accuracy(train, test, optimizer);
            }
        }

        return new DataSetResult(
            Path.GetFileNameWithoutExtension(path), data.Count, data.FeatureCount, data.TargetCount,
            new Score(Optimizer.Adam().Name, adam),
            new Score("SGD, nested-CV tuned: " + string.Join("; ", chosen), tuned),
            sgd.Select(s => new Score(s.Name, s.Accuracies)).ToArray());
    }

    /// <summary>SGD's grid point with the best mean accuracy in an inner 4-fold cross-validation of <paramref name="train"/> (the first on ties).</summary>
    public static IOptimizer Tune(Dataset train)
    {
        const int inner = 4;
        int[] fold = DataSplit.KFold(train, inner, stratified: true, seed: 1);
        IOptimizer? best = null;
        double bestMean = double.NegativeInfinity;
        foreach (float momentum in SgdMomenta)
        {
            foreach (float rate in SgdRates)
            {
                IOptimizer candidate = Optimizer.Sgd(rate, momentum);
                double sum = 0;
                for (int f = 0; f < inner; f++)
                {
                    int[] fit = Enumerable.Range(0, train.Count).Where(r => fold[r] != f).ToArray();
                    int[] check = Enumerable.Range(0, train.Count).Where(r => fold[r] == f).ToArray();
                    sum += Accuracy(train.Subset(fit), train.Subset(check), candidate);
                }

                if (sum / inner > bestMean)
                {
                    bestMean = sum / inner;
                    best = candidate;
                }
            }
        }

        return best!;
    }

    /// <summary>Trains a fresh network on <paramref name="train"/> and returns its accuracy on <paramref name="test"/>.</summary>
    public static double Accuracy(Dataset train, Dataset test, IOptimizer optimizer)
    {
        DenseNetwork network = NetworkBuilder.Input(train.FeatureCount).Dense(Hidden, Activation.Tanh).Dense(train.TargetCount, Activation.Softmax)
            .Build(new GlorotUniformInitializer(1));
        var options = new TrainerOptions { Epochs = Epochs, BatchSize = BatchSize, Optimizer = optimizer, Seed = 2 };
        TrainingResult result = new BackPropTrainer(options).Train(network, train);
        if (result.StopReason != TrainingStopReason.Completed)
        {
            return 0;
        }

        return Metrics.Accuracy(network, test);
    }

    /// <summary>Fold <paramref name="f"/> as the test rows, the others as training rows, both standardized with the training rows' statistics.</summary>
    private static (Dataset Train, Dataset Test) Standardized(Dataset data, int[] fold, int f)
    {
        int[] trainRows = Enumerable.Range(0, data.Count).Where(r => fold[r] != f).ToArray();
        int[] testRows = Enumerable.Range(0, data.Count).Where(r => fold[r] == f).ToArray();
        int d = data.FeatureCount;
        var mean = new double[d];
        var sd = new double[d];
        foreach (int r in trainRows)
        {
            ReadOnlySpan<float> x = data.GetFeatures(r);
            for (int j = 0; j < d; j++)
            {
                mean[j] += x[j];
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= trainRows.Length;
        }

        foreach (int r in trainRows)
        {
            ReadOnlySpan<float> x = data.GetFeatures(r);
            for (int j = 0; j < d; j++)
            {
                sd[j] += (x[j] - mean[j]) * (x[j] - mean[j]);
            }
        }

        for (int j = 0; j < d; j++)
        {
            sd[j] = Math.Sqrt(sd[j] / trainRows.Length);
            sd[j] = sd[j] > 0 ? sd[j] : 1;
        }

        Dataset Make(int[] rows)
        {
            var features = new float[rows.Length, d];
            var labels = new int[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                ReadOnlySpan<float> x = data.GetFeatures(rows[i]);
                for (int j = 0; j < d; j++)
                {
                    features[i, j] = (float)((x[j] - mean[j]) / sd[j]);
                }

                labels[i] = data.Labels[rows[i]];
            }

            return Dataset.FromLabels(features, labels, data.TargetCount);
        }

        return (Make(trainRows), Make(testRows));
    }

    /// <summary>Writes the markdown table: per data set, Adam (defaults), SGD's best grid point, and SGD's whole grid.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<DataSetResult> results)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(c, $"{Folds}-fold stratified cross-validation, features-{Hidden}(tanh)-classes(softmax), cross-entropy, {Epochs} epochs, batch {BatchSize}; mean accuracy (sd over folds)."));
        writer.WriteLine();
        writer.WriteLine("| data set | rows x features, classes | Adam, defaults | SGD tuned by nested CV | Adam - tuned SGD | SGD's best grid point on the test folds (optimistic) |");
        writer.WriteLine("|---|---|---|---|---|---|");
        foreach (DataSetResult r in results)
        {
            Score best = r.BestSgd;
            writer.WriteLine(string.Create(c, $"| {r.Name} | {r.Rows} x {r.Features}, {r.Classes} | {r.Adam.Mean:F4} ({r.Adam.StandardDeviation:F4}) | {r.TunedSgd.Mean:F4} ({r.TunedSgd.StandardDeviation:F4}) | {r.Adam.Mean - r.TunedSgd.Mean:+0.0000;-0.0000;0.0000} | {best.Mean:F4} ({best.StandardDeviation:F4}), {best.Optimizer} |"));
        }

        writer.WriteLine();
        writer.WriteLine("SGD settings chosen by the inner cross-validation, outer fold by outer fold:");
        writer.WriteLine();
        foreach (DataSetResult r in results)
        {
            writer.WriteLine($"- {r.Name}: {r.TunedSgd.Optimizer["SGD, nested-CV tuned: ".Length..]}");
        }

        writer.WriteLine();
        writer.WriteLine("SGD's grid, mean accuracy:");
        writer.WriteLine();
        writer.WriteLine("| optimizer | " + string.Join(" | ", results.Select(r => r.Name)) + " |");
        writer.WriteLine("|---|" + string.Concat(results.Select(_ => "---|")));
        for (int i = 0; i < results[0].Sgd.Count; i++)
        {
            writer.WriteLine($"| {results[0].Sgd[i].Optimizer} | " + string.Join(" | ", results.Select(r => r.Sgd[i].Mean.ToString("F4", c))) + " |");
        }
    }
}
