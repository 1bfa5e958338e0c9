using System.Globalization;
using L1Net.Data;

namespace L1Net.Sparsity;

/// <summary>
/// The synthetic protocol shared by the selection experiments: for seeds <see cref="SelectionExperiment.FirstSeed"/> ..
/// + 4, the 8-of-64 problem (1,500 training rows, data seed <c>1000 + seed</c>; 5,000 test rows, <c>2000 + seed</c>); the
/// experiment selects inputs and fits a model on the training rows; one table row per seed, then the claim: at least 95 %
/// of the relevant inputs and at most 10 % of the irrelevant ones kept over the seeds.
/// </summary>
internal static class NestedSynthetic
{
    /// <summary>What one experiment reports for one seed: the lambda (or region end) it picked, the inputs its model uses, and the model's test accuracy.</summary>
    internal readonly record struct Outcome(float Lambda, IReadOnlyList<int> Inputs, double Accuracy);

    /// <summary>Runs <paramref name="select"/> (training rows, test rows, seed) on every seed, prints the rows and the summary line (starting with <paramref name="method"/>) and returns whether the claim holds.</summary>
    public static bool Run(string method, Func<Dataset, Dataset, int, Outcome> select)
    {
        int relevantKept = 0, irrelevantKept = 0, seeds = 0;
        double accuracySum = 0;
        for (int seed = SelectionExperiment.FirstSeed; seed < SelectionExperiment.FirstSeed + 5; seed++)
        {
            Dataset train = SelectionExperiment.Make(1500, (ulong)(1000 + seed));
            Dataset test = SelectionExperiment.Make(5000, (ulong)(2000 + seed));
            Outcome outcome = select(train, test, seed);
            int rel = outcome.Inputs.Count(i => i < SelectionExperiment.Relevant);
            int irr = outcome.Inputs.Count - rel;
            relevantKept += rel;
            irrelevantKept += irr;
            accuracySum += outcome.Accuracy;
            seeds++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {seed} | {outcome.Lambda:G3} | {rel} of 8 | {irr} of 56 | {outcome.Accuracy:F4} |"));
        }

        double recall = relevantKept / (8.0 * seeds), falseKept = irrelevantKept / (56.0 * seeds);
        bool pass = recall >= 0.95 && falseKept <= 0.10;
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method}: relevant kept {recall:P1}, irrelevant kept {falseKept:P1}, mean test accuracy {accuracySum / seeds:F4}; claim: {(pass ? "holds" : "FAILS")}"));
        return pass;
    }
}
