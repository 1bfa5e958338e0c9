using System.Globalization;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Optimization;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Training;

namespace L1Net.Sparsity;

/// <summary>
/// The nested protocol shared by the Wine selection experiments (docs/sparsity.md, "Measured: Wine"): outer stratified
/// 5-fold splits x <c>repeats</c> (seeds <c>outerSeed</c>, <c>outerSeed + 1</c>, ...); in each outer fold the unregularized
/// 13-8-3 network (standardized on the outer training part) and the experiment's own selection and model; one table row per
/// outer fold, then the claim: mean outer accuracy within 1 point of the unregularized network's, and at most 6 of 13
/// inputs (for the median model, or for every model, see <see cref="InputClaim"/>).
/// </summary>
internal static class NestedWine
{
    /// <summary>How the "at most half of the 13 inputs" part of the claim is judged.</summary>
    internal enum InputClaim
    {
        /// <summary>The median number of inputs over the outer models is at most 6 (the first three attempts).</summary>
        Median,

        /// <summary>Every outer model uses at most 6 inputs (the input-budget run).</summary>
        Every,
    }

    /// <summary>What one experiment reports for one outer fold: the lambda it picked, the inputs its model uses, the model's
    /// accuracy on the held-out outer fold, and optional diagnostics written to stderr after the row.</summary>
    internal readonly record struct Outcome(float Lambda, IReadOnlyList<int> Inputs, double Accuracy, Action? Diagnostics = null);

    /// <summary>The Wine CSV (rows and feature names), read once.</summary>
    public static CsvDataset Csv => LazyCsv.Value;

    private static readonly Lazy<CsvDataset> LazyCsv = new(() => CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "wine.csv")));

    /// <summary>Runs <paramref name="select"/> (outer training rows, held-out rows, repeat, fold) on every outer fold, prints
    /// the rows and the summary (<paramref name="method"/> names the selected model in it) and returns whether the claim holds.</summary>
    public static bool Run(TrainerOptions trainer, int outerSeed, string method, Func<Dataset, Dataset, int, int, Outcome> select, int repeats = 2, InputClaim claim = InputClaim.Median)
    {
        Dataset wine = Csv.Dataset;
        IReadOnlyList<string> names = Csv.FeatureNames;
        var counts = new List<int>();
        double noneSum = 0, selectedSum = 0;
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            int[] assignment = DataSplit.KFold(wine, 5, stratified: true, seed: outerSeed + repeat);
            for (int f = 0; f < 5; f++)
            {
                Dataset fit = wine.Subset([.. Enumerable.Range(0, wine.Count).Where(r => assignment[r] != f)]);
                Dataset held = wine.Subset([.. Enumerable.Range(0, wine.Count).Where(r => assignment[r] == f)]);
                Standardizer scaler = new Standardizer().Fit(fit);
                DenseNetwork none = Initial(13, 8, 3);
                new BackPropTrainer(trainer, Regularizer.None).Train(none, scaler.Transform(fit));
                double noneAccuracy = Metrics.Accuracy(none, scaler.Transform(held));

                Outcome outcome = select(fit, held, repeat, f);
                counts.Add(outcome.Inputs.Count);
                noneSum += noneAccuracy;
                selectedSum += outcome.Accuracy;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {repeat + 1}.{f + 1} | {noneAccuracy:F4} | {outcome.Lambda:G3} | {outcome.Inputs.Count} ({string.Join(", ", outcome.Inputs.Select(i => names[i]))}) | {outcome.Accuracy:F4} |"));
                outcome.Diagnostics?.Invoke();
            }
        }

        counts.Sort();
        int outer = counts.Count;
        double median = (counts[(outer - 1) / 2] + counts[outer / 2]) / 2.0;
        double noneMean = noneSum / outer, selectedMean = selectedSum / outer;
        bool inputsPass = claim == InputClaim.Median ? median <= 6 : counts[^1] <= 6;
        bool pass = inputsPass && selectedMean >= noneMean - 0.01;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outer accuracy: unregularized {noneMean:F4}, {method} {selectedMean:F4} (difference {selectedMean - noneMean:+0.0000;-0.0000}); inputs used: median {median}, range {counts[0]}-{counts[^1]}"));
        string inputsText = claim == InputClaim.Median ? "median inputs <= 6 of 13" : "every outer model uses <= 6 of 13 inputs";
        Console.WriteLine($"claim ({inputsText} and mean outer accuracy within 1 point of the unregularized network's): {(pass ? "holds" : "FAILS")}");
        return pass;
    }

    /// <summary>The lambda grid of the Wine attempts (0 = unregularized).</summary>
    internal static readonly float[] Lambdas = [0.5f, 0.3f, 0.2f, 0.15f, 0.1f, 0.09f, 0.08f, 0.07f, 0.06f, 0.05f, 0.03f, 0.01f, 0f];

    /// <summary>The Wine experiments' trainer: Adam(<paramref name="rate"/>), batch 16, <paramref name="epochs"/> epochs, cross-entropy, seed 0.</summary>
    internal static TrainerOptions Trainer(int epochs = 100, float rate = 0.01f) =>
        new() { Epochs = epochs, BatchSize = 16, Seed = 0, Loss = LossFunction.CrossEntropy, Optimizer = Optimizer.Adam(rate) };

    /// <summary>The experiments' network: <paramref name="inputs"/>-<paramref name="hidden"/>(tanh)-<paramref name="classes"/>(softmax), Glorot uniform seed 1.</summary>
    internal static DenseNetwork Initial(int inputs, int hidden, int classes) =>
        NetworkBuilder.Input(inputs).Dense(hidden, Activation.Tanh).Dense(classes, Activation.Softmax).Build(new GlorotUniformInitializer(seed: 1));
}
