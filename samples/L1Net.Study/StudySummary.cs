using System.Globalization;
using L1Net.Seed;

namespace L1Net.Study;

/// <summary>One arm's numbers over all data sets, with its comparison against the same rule's unregularized arm.</summary>
/// <param name="Arm">The arm.</param>
/// <param name="TestMean">Mean test accuracy.</param>
/// <param name="TestSd">Standard deviation of the test accuracy (sample, n - 1).</param>
/// <param name="TrainMean">Mean training accuracy.</param>
/// <param name="WeightL1Mean">Mean sum of |w|.</param>
/// <param name="NearZeroMean">Mean number of weights with |w| &lt; 1e-3 (of 112).</param>
/// <param name="ExactZerosMean">Mean number of weights exactly 0.</param>
/// <param name="Wins">Data sets where this arm's test accuracy is above the same rule's "none".</param>
/// <param name="Ties">Data sets where it is equal.</param>
/// <param name="Losses">Data sets where it is below.</param>
/// <param name="SignTestP">Two-sided exact sign test of wins against losses (ties dropped); 1 when there are none.</param>
/// <param name="Diverged">Runs that did not complete.</param>
public sealed record ArmSummary(
    StudyArm Arm,
    double TestMean,
    double TestSd,
    double TrainMean,
    double WeightL1Mean,
    double NearZeroMean,
    double ExactZerosMean,
    int Wins,
    int Ties,
    int Losses,
    double SignTestP,
    int Diverged);

/// <summary>Summarises <see cref="StudyResults"/> and writes them as Markdown.</summary>
public static class StudySummary
{
    /// <summary>Summarises every arm.</summary>
    /// <param name="results">The study's outcomes.</param>
    /// <returns>One summary per arm, in the order of <see cref="StudyResults.Arms"/>.</returns>
    public static IReadOnlyList<ArmSummary> Summarize(StudyResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        int seeds = results.Design.SeedCount;
        var summaries = new List<ArmSummary>();
        for (int a = 0; a < results.Arms.Count; a++)
        {
            StudyArm arm = results.Arms[a];
            int baseline = IndexOfNone(results.Arms, arm.Rule);
            double[] test = new double[seeds];
            int wins = 0, ties = 0, losses = 0, diverged = 0;
            double train = 0, l1 = 0, near = 0, zeros = 0;
            for (int s = 0; s < seeds; s++)
            {
                StudyCell c = results.Cells[a, s];
                test[s] = c.TestAccuracy;
                train += c.TrainAccuracy;
                l1 += c.WeightL1;
                near += c.NearZero;
                zeros += c.ExactZeros;
                diverged += c.Completed ? 0 : 1;
                int cmp = c.TestAccuracy.CompareTo(results.Cells[baseline, s].TestAccuracy);
                if (cmp > 0)
                {
                    wins++;
                }
                else if (cmp < 0)
                {
                    losses++;
                }
                else
                {
                    ties++;
                }
            }

            double mean = test.Average();
            double sd = seeds > 1 ? Math.Sqrt(test.Sum(x => (x - mean) * (x - mean)) / (seeds - 1)) : 0;
            summaries.Add(new ArmSummary(arm, mean, sd, train / seeds, l1 / seeds, near / seeds, zeros / seeds, wins, ties, losses, SignTest(wins, losses), diverged));
        }

        return summaries;
    }

    /// <summary>Two-sided exact sign test: <c>min(1, 2 P(X &lt;= min(w, l)))</c> for <c>X ~ Binomial(w + l, 1/2)</c>.</summary>
    /// <param name="wins">Wins.</param>
    /// <param name="losses">Losses.</param>
    /// <returns>The p-value; 1 when <c>wins + losses = 0</c>.</returns>
    public static double SignTest(int wins, int losses)
    {
        int n = wins + losses;
        if (n == 0)
        {
            return 1;
        }

        int k = Math.Min(wins, losses);
        double term = Math.Pow(0.5, n); // C(n, 0) / 2^n
        double tail = 0;
        for (int i = 0; i <= k; i++)
        {
            tail += term;
            term *= (double)(n - i) / (i + 1);
        }

        return Math.Min(1, 2 * tail);
    }

    /// <summary>Writes the study's table as Markdown, one row per arm.</summary>
    /// <param name="results">The study's outcomes.</param>
    /// <param name="writer">Receives the Markdown.</param>
    public static void WriteMarkdown(StudyResults results, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(writer);
        IReadOnlyList<ArmSummary> summaries = Summarize(results);
        writer.WriteLine(Invariant($"{results.Design.SeedCount} data sets, {results.Design.Epochs} epochs per run; test accuracy on 40 rows (one row = 0.025). W/T/L: test accuracy above / equal to / below the same rule's \"none\" on the same data set; p: two-sided exact sign test of W against L."));
        writer.WriteLine();
        writer.WriteLine("| rule / penalty | lambda | test acc mean | sd | train acc mean | sum \\|w\\| mean | \\|w\\| < 1e-3 | exact 0 | W/T/L vs none | p |");
        writer.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (ArmSummary s in summaries)
        {
            string lambda = s.Arm.Penalty == StudyPenalty.None ? "-" : s.Arm.Lambda.ToString("0.####", CultureInfo.InvariantCulture);
            string wtl = s.Arm.Penalty == StudyPenalty.None ? "-" : Invariant($"{s.Wins}/{s.Ties}/{s.Losses}");
            string p = s.Arm.Penalty == StudyPenalty.None ? "-" : s.SignTestP < 0.001 ? "< 0.001" : s.SignTestP.ToString("0.000", CultureInfo.InvariantCulture);
            string diverged = s.Diverged > 0 ? Invariant($" ({s.Diverged} diverged)") : string.Empty;
            writer.WriteLine(Invariant($"| {s.Arm.Label}{diverged} | {lambda} | {s.TestMean:F4} | {s.TestSd:F4} | {s.TrainMean:F4} | {s.WeightL1Mean:F3} | {s.NearZeroMean:F1} | {s.ExactZerosMean:F1} | {wtl} | {p} |"));
        }
    }

    private static int IndexOfNone(IReadOnlyList<StudyArm> arms, GradientRule rule)
    {
        for (int i = 0; i < arms.Count; i++)
        {
            if (arms[i].Rule == rule && arms[i].Penalty == StudyPenalty.None)
            {
                return i;
            }
        }

        throw new ArgumentException($"The study has no unregularized arm for rule {rule}.", nameof(arms));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
