using System.Globalization;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Training;

namespace L1Net.Sparsity;

/// <summary>
/// Issue 11, item 5: does choosing lambda by cross-validation tell the truth? One protocol for every data set, fixed before
/// any result was seen: nested cross-validation with repeated outer splits. Each data set is a pool of rows; the pool is
/// split <see cref="OuterRepeats"/> times into <see cref="OuterFolds"/> stratified outer folds (seeds
/// <see cref="OuterSeed"/>, <c>OuterSeed + 1</c>, ...). For each of the <c>OuterRepeats * OuterFolds</c> splits the whole
/// choice (standardization, lambda_max search, inner CV with the library's defaults, lambda.1se, refit) sees only the outer
/// training rows, and the outer fold scores it. Criteria are judged on the mean over the splits; per-split values and their
/// spread are printed, since one split of 30 rows moves by 3.3 points per row and is noisier than the 1-point criterion.
/// </summary>
internal static class Acceptance
{
    /// <summary>Outer repeats: every row is tested this many times, by models trained without it.</summary>
    public const int OuterRepeats = 5;

    /// <summary>Outer folds per repeat: 4/5 of the pool trains, 1/5 tests.</summary>
    public const int OuterFolds = 5;

    /// <summary>Seed of the first outer repeat's fold assignment (the inner CV uses seed 0, 1, ...).</summary>
    public const int OuterSeed = 100;

    /// <summary>How many of the path's smallest lambdas criterion 3 compares.</summary>
    private const int SmallestLambdas = 3;

    /// <summary>Runs the checks on every problem and prints one table per data set; true when every criterion passes.</summary>
    /// <param name="problems">Pools of rows (their <see cref="Problem.Test"/> is ignored).</param>
    /// <param name="threads">Folds trained at once inside each inner CV, and side trainings run at once.</param>
    /// <param name="innerRepeats">Repeats of the inner k-fold split (the library's default is 1).</param>
    public static bool Run(IEnumerable<Problem> problems, int threads, int innerRepeats)
    {
        var defaults = new CrossValidationOptions();
        Console.WriteLine($"Protocol: nested CV. Outer: {OuterRepeats} x {OuterFolds}-fold stratified splits of each pool (seeds {OuterSeed}-{OuterSeed + OuterRepeats - 1}), fixed in advance.");
        Console.WriteLine($"Inner (sees the outer training rows only): {defaults.Folds}-fold stratified CV, repeats {innerRepeats}, seed {defaults.Seed}, standardized per fold, proximal L1, {Experiments.LambdaCount} lambdas from a searched lambda_max to 1/1000 of it,");
        Console.WriteLine($"cold starts, lambda.1se by CV loss (SE = s / sqrt(K), s pooled over repeats), refit on the outer training rows. Threads: {threads}.");
        Console.WriteLine("Columns: CV(1se) = inner CV accuracy at lambda.1se; test(...) = accuracy on the outer fold of the model refitted at lambda.1se, at lambda.min, and with no regularizer.");
        bool pass = true;
        foreach (Problem p in problems)
        {
            pass &= RunOne(p, threads, innerRepeats);
        }

        Console.WriteLine(pass ? "acceptance: PASS" : "acceptance: FAIL");
        return pass;
    }

    private static bool RunOne(Problem p, int threads, int innerRepeats)
    {
        Console.WriteLine();
        Console.WriteLine($"== {p.Name}: {p.Data.Count} rows, {p.Shape}, {p.Trainer.Epochs} epochs, batch {p.Trainer.BatchSize}, rate {p.Trainer.LearningRate.ToString(CultureInfo.InvariantCulture)}{(p.NoiseInputs > 0 ? $", the last {p.NoiseInputs} inputs irrelevant" : string.Empty)}");
        Console.WriteLine($"{"split",-6} {"lambda.min",10} {"lambda.1se",10} {"CV(1se)",8} {"test(1se)",9} {"test(min)",9} {"test(none)",10} {"nonzero(1se)",13}");
        var splits = new List<Split>();
        for (int repeat = 0; repeat < OuterRepeats; repeat++)
        {
            int[] outer = DataSplit.KFold(p.Data, OuterFolds, stratified: true, seed: OuterSeed + repeat);
            for (int fold = 0; fold < OuterFolds; fold++)
            {
                Split s = RunSplit(p, p.Data.Subset(Rows(outer, fold, false)), p.Data.Subset(Rows(outer, fold, true)), threads, innerRepeats);
                s.Name = $"r{repeat + 1}f{fold + 1}";
                splits.Add(s);
                Console.WriteLine($"{s.Name,-6} {s.LambdaMin,10:G3} {s.Lambda1Se,10:G3} {s.Cv1Se,8:F3} {s.Test1Se,9:F3} {s.TestMin,9:F3} {s.TestNone,10:F3} {s.Nonzero1Se,6}/{s.WeightCount,-6}");
            }
        }

        Stat cv = Stat.Of(splits.Select(s => s.Cv1Se)), test = Stat.Of(splits.Select(s => s.Test1Se));
        Stat testMin = Stat.Of(splits.Select(s => s.TestMin)), none = Stat.Of(splits.Select(s => s.TestNone));
        Stat gap = Stat.Of(splits.Select(s => s.Cv1Se - s.Test1Se)), cost = Stat.Of(splits.Select(s => s.Test1Se - s.TestNone));
        Console.WriteLine($"{"mean",-6} {"",10} {"",10} {cv.Mean,8:F3} {test.Mean,9:F3} {testMin.Mean,9:F3} {none.Mean,10:F3} {splits.Average(s => s.Nonzero1Se),6:F0}/{splits[0].WeightCount,-6}");
        Console.WriteLine($"{"SD",-6} {"",10} {"",10} {cv.Sd,8:F3} {test.Sd,9:F3} {testMin.Sd,9:F3} {none.Sd,10:F3}   (standard deviation over the {splits.Count} splits)");
        Console.WriteLine($"per split: CV(1se) - test(1se) has SD {gap.Sd:F3}; the inner CV's own standard error of its accuracy at lambda.1se averages {splits.Average(s => s.Cv1SeStandardError):F3}");
        int[] steps = splits.Select(s => s.Steps1Se).ToArray();
        Console.WriteLine($"the 1se rule: lambda.1se is {steps.Average():F1} grid steps (factor {Math.Pow(1000, 1.0 / (Experiments.LambdaCount - 1)):F2} each) above lambda.min on average; per split: {string.Join(" ", steps)}");
        if (innerRepeats > 1)
        {
            Console.WriteLine($"repeats: the SD over the {innerRepeats} repeats of a repeat's mean CV loss at lambda.1se is {splits.Average(s => s.RepeatSpread):F2} of the standard error on average (fold-assignment noise; the mean over repeats has 1/sqrt({innerRepeats}) of it)");
        }

        var checks = new List<(string Criterion, string Measured, string Bound, bool? Pass)>
        {
            ("1  CV estimate at lambda.1se vs its test accuracy", $"{cv.Mean:F3} vs {test.Mean:F3}: diff {Signed(gap.Mean)} (SE over splits {gap.Se:F3})", "|diff| <= 0.020", Math.Abs(gap.Mean) <= 0.02),
            ("2  test accuracy of lambda.1se vs no regularizer", $"{test.Mean:F3} vs {none.Mean:F3}: diff {Signed(cost.Mean)} (SE over splits {cost.Se:F3})", "diff >= -0.010", cost.Mean >= -0.01),
        };

        // Criterion 3: the warm paths' models at the smallest lambdas against the cold-started ones (the default path's, on
        // the outer training rows), by test accuracy averaged over the splits.
        foreach ((PathDirection direction, int index) in new[] { (PathDirection.WarmUpward, 0), (PathDirection.WarmDownward, 1) })
        {
            int n = splits[0].ColdSmallest.Length;
            double worst = 0;
            var parts = new List<string>();
            for (int k = 0; k < n; k++)
            {
                double diff = splits.Average(s => s.WarmSmallest[index][k] - s.ColdSmallest[k]);
                worst = Math.Max(worst, Math.Abs(diff));
                parts.Add(Signed(diff));
            }

            string name = direction == PathDirection.WarmUpward ? "3  warm upward path vs cold starts, 3 smallest lambdas" : "3' glmnet's warm descent vs cold (not a default; shown)";
            checks.Add((name, $"test accuracy diff {string.Join(" ", parts)}; cold {splits.Average(s => s.ColdSmallest.Average()):F3}", "|diff| <= 0.010", direction == PathDirection.WarmUpward ? worst <= 0.01 : null));
            if (direction == PathDirection.WarmDownward)
            {
                checks[^1] = (checks[^1].Criterion, checks[^1].Measured, checks[^1].Bound + (worst <= 0.01 ? " (within)" : " (NOT within)"), null);
            }
        }

        if (p.NoiseInputs > 0)
        {
            int zero = splits.Sum(s => s.NoiseZeroProximal), zeroCumulative = splits.Sum(s => s.NoiseZeroCumulative), count = splits.Sum(s => s.NoiseCount);
            checks.Add(("4  irrelevant-input weights zeroed at lambda.1se", $"proximal L1 {zero}/{count}, cumulative L1 {zeroCumulative}/{count} (test {splits.Average(s => s.TestCumulative):F3})", "either > 1/2", zero * 2 > count || zeroCumulative * 2 > count));
        }

        Console.WriteLine($"{"criterion",-56} {"measured (means over the splits)",-66} {"bound",-24} verdict");
        bool pass = true;
        foreach ((string criterion, string measured, string bound, bool? ok) in checks)
        {
            Console.WriteLine($"{criterion,-56} {measured,-66} {bound,-24} {(ok is null ? "-" : ok.Value ? "PASS" : "FAIL")}");
            pass &= ok ?? true;
        }

        Console.WriteLine($"{p.Name}: {(pass ? "PASS" : "FAIL")}");
        return pass;
    }

    private static Split RunSplit(Problem p, Dataset train, Dataset testRaw, int threads, int innerRepeats)
    {
        var options = new CrossValidationOptions
        {
            Repeats = innerRepeats,
            Preprocessing = new Standardizer(),
            MaxDegreeOfParallelism = threads,
        };
        CrossValidationResult r = new CrossValidation(Experiments.PathOptions(p, PathDirection.ColdStarts), options).Run(p.Initial(), train);
        Dataset trainScaled = Scaling.FitAndApply(train, train);
        Dataset test = Scaling.FitAndApply(train, testRaw);
        double Score(PathPoint point)
        {
            DenseNetwork net = p.Initial();
            point.CopyTo(net);
            return Metrics.Accuracy(net, test);
        }

        int n = r.Scores.Count;
        float[] lambdas = r.Scores.Select(s => s.Lambda).ToArray();
        float[] smallest = lambdas[(n - SmallestLambdas)..];
        double noneAccuracy = 0, cumulativeAccuracy = 0;
        int cumulativeZero = 0;
        RegularizationPathResult? upward = null, downward = null;
        var jobs = new List<Action>
        {
            () =>
            {
                DenseNetwork none = p.Initial();
                new BackPropTrainer(p.Trainer, Regularizer.None).Train(none, trainScaled);
                noneAccuracy = Metrics.Accuracy(none, test);
            },

            // The upward path from the smallest lambda; only its first points are compared, so only they are trained.
            () => upward = new RegularizationPath(Experiments.PathOptions(p, PathDirection.WarmUpward, lambdas: smallest)).Run(p.Initial(), trainScaled),
            () => downward = new RegularizationPath(Experiments.PathOptions(p, PathDirection.WarmDownward, lambdas: lambdas)).Run(p.Initial(), trainScaled),
        };
        if (p.NoiseInputs > 0)
        {
            jobs.Add(() =>
            {
                DenseNetwork cumulative = p.Initial();
                new BackPropTrainer(p.Trainer, Regularizer.CumulativeL1(r.LambdaChosen)).Train(cumulative, trainScaled);
                cumulativeAccuracy = Metrics.Accuracy(cumulative, test);
                cumulativeZero = p.NoiseWeights(cumulative).Zero;
            });
        }

        Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = threads }, [.. jobs]);

        DenseNetwork model = p.Initial();
        r.Model.CopyTo(model);
        (int noiseZero, int noiseCount) = p.NoiseWeights(model);
        return new Split
        {
            LambdaMin = r.LambdaMin,
            Lambda1Se = r.Lambda1Se,
            Cv1Se = r.Scores[r.Index1Se].MeanAccuracy,
            Cv1SeStandardError = r.Scores[r.Index1Se].AccuracyStandardError,
            Test1Se = Score(r.Model),
            TestMin = Score(r.Path.Points[r.IndexMin]),   // a cold-started path point is the refit at its lambda
            TestNone = noneAccuracy,
            Nonzero1Se = r.Model.NonzeroWeights,
            Steps1Se = r.IndexMin - r.Index1Se,
            RepeatSpread = RepeatSpread(r, innerRepeats),
            WeightCount = r.Model.WeightCount,
            ColdSmallest = r.Path.Points.Skip(n - SmallestLambdas).Select(Score).ToArray(),
            WarmSmallest = [upward!.Points.Select(Score).ToArray(), downward!.Points.Skip(n - SmallestLambdas).Select(Score).ToArray()],
            NoiseZeroProximal = p.NoiseInputs > 0 ? noiseZero : 0,
            NoiseCount = p.NoiseInputs > 0 ? noiseCount : 0,
            NoiseZeroCumulative = cumulativeZero,
            TestCumulative = cumulativeAccuracy,
        };
    }

    /// <summary>The standard deviation over the repeats of each repeat's mean CV loss at lambda.1se, in units of that lambda's standard error.</summary>
    private static double RepeatSpread(CrossValidationResult r, int repeats)
    {
        if (repeats < 2)
        {
            return double.NaN;
        }

        double[] means = r.Folds.GroupBy(f => f.Repeat).Select(g => g.Average(f => f.Losses[r.Index1Se])).ToArray();
        double mean = means.Average();
        return Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (means.Length - 1)) / r.Scores[r.Index1Se].LossStandardError;
    }

    private static string Signed(double value) => (value < 0 ? "-" : "+") + Math.Abs(value).ToString("F3", CultureInfo.InvariantCulture);

    private static int[] Rows(int[] assignment, int fold, bool inFold) =>
        Enumerable.Range(0, assignment.Length).Where(r => (assignment[r] == fold) == inFold).ToArray();

    private sealed class Split
    {
        public string Name { get; set; } = string.Empty;

        public float LambdaMin { get; init; }

        public float Lambda1Se { get; init; }

        public double Cv1Se { get; init; }

        public double Cv1SeStandardError { get; init; }

        public double Test1Se { get; init; }

        public double TestMin { get; init; }

        public double TestNone { get; init; }

        public int Nonzero1Se { get; init; }

        public int WeightCount { get; init; }

        public int Steps1Se { get; init; }

        public double RepeatSpread { get; init; }

        public double[] ColdSmallest { get; init; } = [];

        public double[][] WarmSmallest { get; init; } = [];

        public int NoiseZeroProximal { get; init; }

        public int NoiseZeroCumulative { get; init; }

        public int NoiseCount { get; init; }

        public double TestCumulative { get; init; }
    }

    /// <summary>Mean, standard deviation and standard error (SD / sqrt(n)) of values over the splits.</summary>
    private readonly record struct Stat(double Mean, double Sd, double Se)
    {
        public static Stat Of(IEnumerable<double> values)
        {
            double[] v = values.ToArray();
            double mean = v.Average();
            double sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
            return new Stat(mean, sd, sd / Math.Sqrt(v.Length));
        }
    }
}
