using System.Diagnostics;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Training;

namespace L1Net.Sparsity;

/// <summary>
/// The measurements of docs/sparsity.md: the three path directions side by side (the acceptance checks are in
/// <see cref="Acceptance"/>). Every number comes from a seeded run; the same build prints the same digits.
/// </summary>
internal static class Experiments
{
    /// <summary>Lambdas per path in every experiment.</summary>
    public const int LambdaCount = 12;

    public static RegularizationPathOptions PathOptions(Problem p, PathDirection direction, float? lambdaMax = null, Func<float, IRegularizer>? regularizer = null, IReadOnlyList<float>? lambdas = null) => new()
    {
        Trainer = p.Trainer,
        CreateRegularizer = regularizer ?? Regularizer.ProximalL1,
        LambdaCount = LambdaCount,
        LambdaMinRatio = 1e-3f,
        LambdaMax = lambdaMax,
        Direction = direction,
        Lambdas = lambdas,
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
}
