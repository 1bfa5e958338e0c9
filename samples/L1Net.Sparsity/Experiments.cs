using System.Diagnostics;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Training;

namespace L1Net.Sparsity;

/// <summary>
/// The measurements of docs/sparsity.md: the three path directions side by side, and the acceptance checks of choosing
/// lambda by cross-validation (CV estimate against held-out test accuracy, the lambda.1se model against no regularization,
/// irrelevant inputs zeroed). Every number comes from a seeded run; the same build prints the same digits.
/// </summary>
internal static class Experiments
{
    private const int LambdaCount = 12;

    public static RegularizationPathOptions PathOptions(Problem p, PathDirection direction, float? lambdaMax = null, Func<float, IRegularizer>? regularizer = null) => new()
    {
        Trainer = p.Trainer,
        CreateRegularizer = regularizer ?? Regularizer.ProximalL1,
        LambdaCount = LambdaCount,
        LambdaMinRatio = 1e-3f,
        LambdaMax = lambdaMax,
        Direction = direction,
    };

    public static CrossValidationOptions CvOptions(int threads, int repeats = 1) => new()
    {
        Repeats = repeats,
        Folds = 5,
        Stratified = true,
        Seed = 0,
        Preprocessing = new Standardizer(),
        Rule = LambdaRule.OneStandardError,
        Refit = true,
        MaxDegreeOfParallelism = threads,
    };

    /// <summary>Item 2: cold starts, the warm path upward and glmnet's descent on the same lambdas, per lambda and in total.</summary>
    public static void Directions(IEnumerable<Problem> problems, int threads)
    {
        foreach (Problem p in problems)
        {
            Dataset all = Scaling.FitAndApply(p.Data, p.Data);
            float lambdaMax = new RegularizationPath(PathOptions(p, PathDirection.ColdStarts)).FindLambdaMax(p.Initial(), all);
            var results = new List<(PathDirection Direction, CrossValidationResult Result, TimeSpan Time)>();
            foreach (PathDirection direction in new[] { PathDirection.ColdStarts, PathDirection.WarmUpward, PathDirection.WarmDownward })
            {
                var cv = new CrossValidation(PathOptions(p, direction, lambdaMax), CvOptions(threads));
                var clock = Stopwatch.StartNew();
                CrossValidationResult result = cv.Run(p.Initial(), p.Data);
                results.Add((direction, result, clock.Elapsed));
            }

            Console.WriteLine($"== {p.Name}: {p.Data.Count} rows, {p.Shape}, proximal L1, {p.Trainer.Epochs} epochs per lambda, 5-fold CV; CV accuracy (nonzero weights of the path on all rows)");
            Console.WriteLine($"{"lambda",10}  {"cold starts",-18}  {"warm upward",-18}  {"warm downward",-18}");
            for (int k = 0; k < LambdaCount; k++)
            {
                Console.Write($"{results[0].Result.Scores[k].Lambda,10:G4}");
                foreach ((_, CrossValidationResult r, _) in results)
                {
                    LambdaScore s = r.Scores[k];
                    Console.Write($"  {s.MeanAccuracy,6:F3} ({s.NonzeroWeights,4}/{s.WeightCount,-4})");
                }

                Console.WriteLine();
            }

            Console.Write($"{"1se pick",10}");
            foreach ((_, CrossValidationResult r, _) in results)
            {
                Console.Write($"  {r.LambdaChosen,-8:G3} {r.Chosen.MeanAccuracy,5:F3}    ");
            }

            Console.WriteLine();
            if (p.Test is not null)
            {
                Dataset test = Scaling.FitAndApply(p.Data, p.Test);
                Console.Write($"{"1se test",10}");
                foreach ((_, CrossValidationResult r, _) in results)
                {
                    DenseNetwork net = p.Initial();
                    r.Model.CopyTo(net);
                    Console.Write($"  {Metrics.Accuracy(net, test),6:F3}            ");
                }

                Console.WriteLine();
            }

            // The path's models at the smallest lambdas against cold-started models at the same lambdas (item 5's third check).
            for (int d = 1; d < results.Count; d++)
            {
                double worst = 0;
                for (int k = LambdaCount - 3; k < LambdaCount; k++)
                {
                    worst = Math.Max(worst, Math.Abs(results[d].Result.Scores[k].MeanAccuracy - results[0].Result.Scores[k].MeanAccuracy));
                }

                string testGap = string.Empty;
                if (p.Test is not null)
                {
                    Dataset test = Scaling.FitAndApply(p.Data, p.Test);
                    double worstTest = 0;
                    for (int k = LambdaCount - 3; k < LambdaCount; k++)
                    {
                        DenseNetwork a = p.Initial(), b = p.Initial();
                        results[d].Result.Path.Points[k].CopyTo(a);
                        results[0].Result.Path.Points[k].CopyTo(b);
                        worstTest = Math.Max(worstTest, Math.Abs(Metrics.Accuracy(a, test) - Metrics.Accuracy(b, test)));
                    }

                    testGap = $", test accuracy of the models on all rows {worstTest:F3}";
                }

                Console.WriteLine($"{results[d].Direction} against cold starts at the 3 smallest lambdas: largest CV accuracy gap {worst:F3}{testGap}: {(worst <= 0.01 ? "within" : "NOT within")} 1 point");
            }

            Console.Write($"{"time",10}");
            foreach ((_, _, TimeSpan t) in results)
            {
                Console.Write($"  {t.TotalSeconds / results[0].Time.TotalSeconds,5:F2}x cold      ");
            }

            Console.WriteLine();
            Console.WriteLine();
        }
    }

    /// <summary>
    /// Item 5. Iris and Wine are small, so the test rows are outer folds (nested CV): 5 stratified outer folds (seed 100),
    /// each scored by a model that CV chose and refitted on the other four without ever seeing it. The synthetic set has
    /// 4,000 independent test rows drawn from the same generator.
    /// </summary>
    public static bool Acceptance(IEnumerable<Problem> problems, int threads, int repeats)
    {
        bool pass = true;
        Console.WriteLine($"{repeats} x 5-fold CV (repeats {repeats}), proximal L1, {LambdaCount} lambdas from a searched lambda_max down to 1/1000 of it, cold starts, lambda.1se by CV loss, refit");
        Console.WriteLine("CV estimate = mean CV accuracy at lambda.1se on the training rows; test = accuracy of the refitted lambda.1se model on rows CV never saw");
        Console.WriteLine($"{"data",-10} {"split",-9} {"lambda.1se",10} {"CV est.",8} {"test",7} {"none",7} {"nonzero",9}");
        foreach (Problem p in problems)
        {
            var splits = new List<(string Name, Dataset Train, Dataset Test)>();
            if (p.Test is not null)
            {
                splits.Add(("test set", p.Data, p.Test));
            }
            else
            {
                int[] outer = DataSplit.KFold(p.Data, 5, stratified: true, seed: 100);
                for (int f = 0; f < 5; f++)
                {
                    splits.Add(($"outer {f + 1}", p.Data.Subset(Rows(outer, f, false)), p.Data.Subset(Rows(outer, f, true))));
                }
            }

            double cvSum = 0;
            int testRows = 0, testCorrect = 0, noneCorrect = 0;
            foreach ((string name, Dataset train, Dataset testRaw) in splits)
            {
                var cv = new CrossValidation(PathOptions(p, PathDirection.ColdStarts), CvOptions(threads, repeats));
                CrossValidationResult r = cv.Run(p.Initial(), train);
                Dataset test = Scaling.FitAndApply(train, testRaw);
                DenseNetwork model = p.Initial();
                r.Model.CopyTo(model);
                double testAccuracy = Metrics.Accuracy(model, test);

                DenseNetwork none = p.Initial();
                new BackPropTrainer(p.Trainer, Regularizer.None).Train(none, Scaling.FitAndApply(train, train));
                double noneAccuracy = Metrics.Accuracy(none, test);
                Console.WriteLine($"{p.Name,-10} {name,-9} {r.LambdaChosen,10:G3} {r.Chosen.MeanAccuracy,8:F3} {testAccuracy,7:F3} {noneAccuracy,7:F3} {r.Model.NonzeroWeights,4}/{r.Model.WeightCount,-4}");
                cvSum += r.Chosen.MeanAccuracy;
                testRows += test.Count;
                testCorrect += (int)Math.Round(testAccuracy * test.Count);
                noneCorrect += (int)Math.Round(noneAccuracy * test.Count);

                if (p.NoiseInputs > 0)
                {
                    (int zero, int count) = p.NoiseWeights(model);
                    bool proximal = zero * 2 > count;
                    DenseNetwork cumulative = p.Initial();
                    new BackPropTrainer(p.Trainer, Regularizer.CumulativeL1(r.LambdaChosen)).Train(cumulative, Scaling.FitAndApply(train, train));
                    (int cZero, int cCount) = p.NoiseWeights(cumulative);
                    (int cNonzero, int cAll) = (RegularizationPathCount(cumulative), r.Model.WeightCount);
                    Console.WriteLine($"{"",10} irrelevant inputs: proximal L1 (refit) zeroes {zero}/{count} of their first-layer weights; cumulative L1 at the same lambda zeroes {cZero}/{cCount} (test {Metrics.Accuracy(cumulative, test):F3}, {cNonzero}/{cAll} nonzero): {(proximal || cZero * 2 > cCount ? "PASS" : "FAIL")} (most = more than half)");
                    pass &= proximal || cZero * 2 > cCount;
                }
            }

            double cvMean = cvSum / splits.Count;
            double testMean = (double)testCorrect / testRows;
            double noneMean = (double)noneCorrect / testRows;
            bool agree = Math.Abs(cvMean - testMean) <= 0.02;
            bool notWorse = testMean >= noneMean - 0.01;
            Console.WriteLine($"{p.Name,-10} {"overall",-9} {"",10} {cvMean,8:F3} {testMean,7:F3} {noneMean,7:F3}   |CV - test| = {Math.Abs(cvMean - testMean):F3} <= 0.02: {(agree ? "PASS" : "FAIL")}; test(1se) >= test(none) - 0.01: {(notWorse ? "PASS" : "FAIL")}");
            pass &= agree && notWorse;
        }

        Console.WriteLine(pass ? "acceptance: PASS" : "acceptance: FAIL");
        return pass;
    }

    private static int RegularizationPathCount(INetwork network) =>
        Enumerable.Range(0, network.Layers.Count).Sum(l => network.GetWeights(l).Length - network.GetWeights(l).Count(0f));

    private static int[] Rows(int[] assignment, int fold, bool inFold) =>
        Enumerable.Range(0, assignment.Length).Where(r => (assignment[r] == fold) == inFold).ToArray();
}
