using System.Globalization;
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
/// Issue 15's Wine claim, fourth attempt (docs/sparsity.md, "Fourth attempt: an input budget in cross-validation"): the
/// library's <see cref="CrossValidationOptions.MaxInputs"/>. Protocol registered in docs/sparsity.md and committed before
/// the first run:
/// <list type="bullet">
/// <item>Outer: 5 stratified folds x 5 repeats, seeds <see cref="OuterSeed"/> .. <c>OuterSeed + 4</c> (300-304, never used on
/// Wine before); in each outer fold the unregularized 13-8-3 network, standardized on the outer training part.</item>
/// <item>Inner, on the outer training part only: <c>new CrossValidationOptions { Preprocessing = new Standardizer(),
/// Relax = true, MaxInputs = 6 }</c>, every other option the library's default (5 stratified folds, seed 0, one repeat,
/// lambda.1se on the loss); the path of the earlier attempts: group lasso over inputs and hidden units, the fixed grid
/// <see cref="NestedWine.Lambdas"/>, Adam(0.01), batch 16, 100 epochs. The model is <see cref="CrossValidationResult.Model"/>.</item>
/// <item>Secondary, reported and not the verdict: the same with <c>Rule = LambdaRule.Minimum</c>.</item>
/// <item>Pass: the 1se model's mean outer accuracy is at least the unregularized network's minus 0.01, and every one of
/// the 25 outer models uses at most 6 inputs.</item>
/// </list>
/// The fifth attempt (docs/sparsity.md, "Fifth attempt: the grid refined at the budget"), registered and committed before
/// its run, is the same protocol with <see cref="CrossValidationOptions.BudgetRefinement"/> = <see cref="Refinement"/> on
/// the fresh outer seeds <see cref="RefinedOuterSeed"/> .. <c>RefinedOuterSeed + 4</c> (400-404):
/// <c>selection-budget-refined</c>. <c>selection-budget</c> (the fourth attempt) sets <c>BudgetRefinement = 0</c>, as the
/// library did when it ran, so it reproduces that run.
/// </summary>
internal static class BudgetExperiment
{
    /// <summary>The first outer seed of the fifth attempt (then + 1 .. + 4), never used on Wine before it.</summary>
    public const int RefinedOuterSeed = 400;

    /// <summary>The fifth attempt's <see cref="CrossValidationOptions.BudgetRefinement"/> rounds (the library's default).</summary>
    public const int Refinement = 6;

    /// <summary>The first outer seed (then + 1 .. + 4).</summary>
    public const int OuterSeed = 300;

    /// <summary>Outer repeats of the 5-fold split.</summary>
    public const int OuterRepeats = 5;

    /// <summary>The input budget: half of Wine's 13 inputs, rounded down.</summary>
    public const int Budget = 6;

    /// <summary>Runs the registered protocol (the registered run: <see cref="OuterRepeats"/> repeats from <see cref="OuterSeed"/>).</summary>
    /// <param name="threads">Inner folds run at once.</param>
    /// <param name="repeats">Outer repeats.</param>
    /// <param name="outerSeed">The first outer seed.</param>
    /// <param name="refinement">The inner cross-validation's <see cref="CrossValidationOptions.BudgetRefinement"/>: 0 for the fourth attempt, <see cref="Refinement"/> for the fifth.</param>
    public static bool Run(int threads, int repeats = OuterRepeats, int outerSeed = OuterSeed, int refinement = 0)
    {
        IReadOnlyList<string> names = NestedWine.Csv.FeatureNames;
        TrainerOptions trainer = NestedWine.Trainer();
        var path = new RegularizationPathOptions { Trainer = trainer, CreateRegularizer = Regularizer.GroupLasso, Lambdas = NestedWine.Lambdas };
        CrossValidationOptions Options(LambdaRule rule) => new() { Preprocessing = new Standardizer(), Relax = true, MaxInputs = Budget, BudgetRefinement = refinement, Rule = rule, MaxDegreeOfParallelism = threads };
        var secondary = new List<(int Inputs, double Accuracy)>();
        Console.WriteLine($"Wine, nested CV (5 outer folds x {repeats}, seeds {outerSeed}-{outerSeed + repeats - 1}), group lasso (inputs + units), relaxed 5-fold CV with MaxInputs = {Budget}, BudgetRefinement = {refinement}, rule 1se on the loss (library defaults otherwise)");
        Console.WriteLine();
        Console.WriteLine("| outer fold | unregularized accuracy | relaxed, <= 6 inputs, 1se: lambda | inputs | accuracy |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool pass = NestedWine.Run(trainer, outerSeed, $"budgeted relaxed group lasso (<= {Budget} inputs, 1se)", (fit, held, repeat, f) =>
        {
            Dataset heldRows = new Standardizer().Fit(fit).Transform(held);
            double Score(CrossValidationResult r)
            {
                DenseNetwork network = NestedWine.Initial(13, 8, 3);
                r.Model.CopyTo(network);
                return Metrics.Accuracy(network, heldRows);
            }

            CrossValidationResult inner = new CrossValidation(path, Options(LambdaRule.OneStandardError)).Run(NestedWine.Initial(13, 8, 3), fit);
            CrossValidationResult min = new CrossValidation(path, Options(LambdaRule.Minimum)).Run(NestedWine.Initial(13, 8, 3), fit);
            double minAccuracy = Score(min);
            secondary.Add((min.Model.Selection.Inputs.Count, minAccuracy));
            return new NestedWine.Outcome(inner.LambdaChosen, inner.Model.Selection.Inputs, Score(inner), () =>
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {repeat + 1}.{f + 1} ({clock.Elapsed.TotalSeconds:F0} s): min rule lambda {min.LambdaChosen:G3}, {min.Model.Selection.Inputs.Count} inputs, accuracy {minAccuracy:F4}"));
                for (int k = 0; k < inner.Scores.Count; k++)
                {
                    LambdaScore s = inner.Scores[k];
                    string mark = inner.InsertedLambdas.Contains(s.Lambda) ? " (inserted)" : string.Empty;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {s.Lambda:G4}{mark}: {s.SelectedInputs} inputs, relaxed acc {s.MeanAccuracy:F4}, loss {s.MeanLoss:F4} +- {s.LossStandardError:F4}"));
                }
            });
        }, repeats, NestedWine.InputClaim.Every);

        List<int> counts = [.. secondary.Select(s => s.Inputs).Order()];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"secondary (not the verdict), the same with Rule = Minimum: outer accuracy {secondary.Average(s => s.Accuracy):F4}; inputs used: median {(counts[(counts.Count - 1) / 2] + counts[counts.Count / 2]) / 2.0}, range {counts[0]}-{counts[^1]}"));
        Console.WriteLine($"per outer fold (min rule): {string.Join(" ", secondary.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Inputs}/{s.Accuracy:F4}")))}");
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:F0} s"));
        return pass;
    }
}
