using L1Net.Tests.Regularization;
using L1Net.Tests.Support;

namespace L1Net.Tests.Selection;

/// <summary>
/// <see cref="CrossValidationOptions.MaxInputs"/>: the lambda rule chooses only among the lambdas whose network on all the
/// rows uses at most that many inputs, the scores of every lambda stay as they are, and the model keeps to the budget.
/// </summary>
public class InputBudgetTests
{
    /// <summary>Planted support: 2 classes from <c>2 x0 + 1.5 x1 + x2 + 0.6 x3</c>; inputs 4..9 are noise.</summary>
    private static readonly Dataset Data = Planted(400, 7);

    internal const int Inputs = 10;

    internal static Dataset Planted(int rows, int seed) =>
        SparsityProblem.Planted(rows, Inputs, 2, seed, static x => (2 * x[0]) + (1.5 * x[1]) + x[2] + (0.6 * x[3]) > 0 ? 1 : 0);

    internal static DenseNetwork Network() =>
        NetworkBuilder.Input(Inputs).Dense(6, Activation.Tanh).Dense(2, Activation.Softmax).Build(new GlorotUniformInitializer(1));

    private static RegularizationPathOptions Path(Func<float, IRegularizer>? create = null) => new()
    {
        Trainer = new TrainerOptions { Epochs = 40, BatchSize = 50, Seed = 3, Optimizer = Optimizer.Adam(0.02f) },
        CreateRegularizer = create ?? Regularizer.InputGroupLasso,
        Lambdas = [0.3f, 0.15f, 0.1f, 0.07f, 0.05f, 0.03f, 0.02f, 0.01f, 0.003f],
    };

    private static CrossValidationOptions Options(int? budget, LambdaRule rule = LambdaRule.Minimum, int threads = 1) =>
        new() { Folds = 3, Seed = 5, Relax = true, MaxInputs = budget, Rule = rule, MaxDegreeOfParallelism = threads };

    [Fact]
    public void A_binding_budget_picks_the_best_lambda_within_it_and_leaves_every_score_as_it_was()
    {
        CrossValidationResult free = new CrossValidation(Path(), Options(null)).Run(Network(), Data);
        // Without BudgetRefinement the grid stays as it is (with it, see BudgetRefinementTests, lambdas are added).
        CrossValidationResult budgeted = new CrossValidation(Path(), new CrossValidationOptions { Folds = 3, Seed = 5, Relax = true, MaxInputs = 2, Rule = LambdaRule.Minimum, BudgetRefinement = 0 }).Run(Network(), Data);

        // The budget binds: without it the best lambda uses more than 2 inputs.
        Assert.Null(free.MaxInputs);
        Assert.True(free.Chosen.SelectedInputs > 2, $"without a budget the choice uses {free.Chosen.SelectedInputs} inputs");

        // Only the choice changes: the same scores, folds and path.
        Assert.Equal(free.Scores, budgeted.Scores);
        Assert.Equal(free.Path.Points.Select(p => p.Parameters.ToArray()), budgeted.Path.Points.Select(p => p.Parameters.ToArray()));

        // The choice is the best mean loss among the lambdas whose path model uses at most 2 inputs (the largest on ties).
        Assert.Equal(2, budgeted.MaxInputs);
        int[] inBudget = [.. Enumerable.Range(0, budgeted.Scores.Count).Where(k => budgeted.Scores[k].SelectedInputs <= 2)];
        Assert.NotEmpty(inBudget);
        int best = inBudget.Aggregate((a, b) => budgeted.Scores[b].MeanLoss < budgeted.Scores[a].MeanLoss ? b : a);
        Assert.Equal(best, budgeted.IndexMin);
        Assert.Equal(best, budgeted.IndexChosen);

        // lambda.1se: the largest in-budget lambda within one standard error of that best.
        double limit = budgeted.Scores[best].MeanLoss + budgeted.Scores[best].LossStandardError;
        Assert.Equal(inBudget.First(k => budgeted.Scores[k].MeanLoss <= limit), budgeted.Index1Se);

        // The model is the relaxed fit on the chosen point's inputs: within the budget, the strongest planted inputs.
        Assert.Equal(budgeted.Path.Points[best].Selection.Inputs, budgeted.Model.Selection.Inputs);
        Assert.True(budgeted.Model.Selection.Inputs.Count <= 2);
        Assert.All(budgeted.Model.Selection.Inputs, i => Assert.InRange(i, 0, 3));

        // With the default refinement the grid's own lambdas keep their scores; only lambdas are added.
        CrossValidationResult refined = new CrossValidation(Path(), Options(2)).Run(Network(), Data);
        Assert.Equal(free.Scores, refined.Scores.Where(s => !refined.InsertedLambdas.Contains(s.Lambda)));
    }

    [Fact]
    public void The_1se_rule_skips_lambdas_over_the_budget_even_within_one_standard_error()
    {
        LambdaScore[] scores =
        [
            new() { Lambda = 1f, MeanLoss = 1.0, LossStandardError = 0.01, SelectedInputs = 0 },
            new() { Lambda = 0.5f, MeanLoss = 0.53, LossStandardError = 0.02, SelectedInputs = 6 },   // within 1 SE of the in-budget best, over a budget of 3
            new() { Lambda = 0.4f, MeanLoss = 0.535, LossStandardError = 0.02, SelectedInputs = 2 },
            new() { Lambda = 0.3f, MeanLoss = 0.52, LossStandardError = 0.02, SelectedInputs = 3 },   // best within a budget of 3
            new() { Lambda = 0.2f, MeanLoss = 0.56, LossStandardError = 0.02, SelectedInputs = 2 },   // a path's input count need not grow as lambda falls
            new() { Lambda = 0.1f, MeanLoss = 0.40, LossStandardError = 0.14, SelectedInputs = 8 },   // best overall
        ];

        Assert.Equal((5, 1), CrossValidation.Choose(scores, CrossValidationMeasure.Loss));
        Assert.Equal((5, 1), CrossValidation.Choose(scores, CrossValidationMeasure.Loss, maxInputs: 8));
        Assert.Equal((3, 2), CrossValidation.Choose(scores, CrossValidationMeasure.Loss, maxInputs: 3));
        Assert.Equal((2, 2), CrossValidation.Choose(scores, CrossValidationMeasure.Loss, maxInputs: 2));
        Assert.Equal((0, 0), CrossValidation.Choose(scores, CrossValidationMeasure.Loss, maxInputs: 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void A_budget_below_one_is_refused_when_the_cross_validation_is_created(int budget)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CrossValidation(Path(), new CrossValidationOptions { MaxInputs = budget }));
        Assert.Equal("MaxInputs", e.ParamName);
        Assert.Contains("'MaxInputs' must be null (no budget) or at least 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_budget_no_lambda_meets_throws_naming_the_option_and_leaves_the_network_as_it_was()
    {
        // Element-wise L2 never zeroes a weight, so every lambda's network uses all 10 inputs.
        var cv = new CrossValidation(Path(Regularizer.L2), Options(3));
        DenseNetwork network = Network();
        float[] before = network.Parameters.ToArray();

        var e = Assert.Throws<InputBudgetException>(() => cv.Run(network, Data));

        // The failure as data (a caller words its own message from these), and the library's own message.
        Assert.Equal(3, e.MaxInputs);
        Assert.Equal(10, e.FewestInputs);
        Assert.IsAssignableFrom<InvalidOperationException>(e);
        Assert.Contains("'MaxInputs' = 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("the fewest any lambda's model uses is 10", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());

        // A budget at or above the input count constrains nothing.
        CrossValidationResult all = new CrossValidation(Path(Regularizer.L2), Options(10)).Run(Network(), Data);
        CrossValidationResult none = new CrossValidation(Path(Regularizer.L2), Options(null)).Run(Network(), Data);
        Assert.Equal(none.IndexChosen, all.IndexChosen);
    }

    [Fact]
    public void A_refit_over_the_budget_is_replaced_by_the_paths_own_model_at_the_chosen_lambda()
    {
        // Two real path points: lambda 1 zeroes every input, lambda 0.001 keeps them all.
        RegularizationPathOptions p = Path();
        RegularizationPathResult path = new RegularizationPath(new RegularizationPathOptions { Trainer = p.Trainer, CreateRegularizer = p.CreateRegularizer, Lambdas = [1f, 0.001f] }).Run(Network(), Data);
        PathPoint none = path.Points[0], all = path.Points[1];
        Assert.Empty(none.Selection.Inputs);
        Assert.Equal(Inputs, all.Selection.Inputs.Count);

        Assert.Same(none, CrossValidation.WithinBudget(all, none, 2));   // a refit over the budget: the path's model instead
        Assert.Same(all, CrossValidation.WithinBudget(all, none, null)); // no budget: the refit
        Assert.Same(all, CrossValidation.WithinBudget(all, none, Inputs)); // within the budget: the refit
        Assert.Same(none, CrossValidation.WithinBudget(none, all, 2));   // the model within the budget stays
    }

    [Theory]
    [InlineData(PathDirection.WarmDownward)]
    [InlineData(PathDirection.WarmUpward)]
    public void Under_warm_paths_the_model_keeps_to_the_budget(PathDirection direction)
    {
        // A warm path's point and the cold refit at its lambda are different trainings; the model is the refit only when
        // it keeps to the budget. (With this grid, glmnet's warm descent collapses to no input at small lambdas, where a
        // cold refit keeps several.)
        RegularizationPathOptions p = Path();
        var warm = new RegularizationPathOptions { Direction = direction, Trainer = p.Trainer, CreateRegularizer = p.CreateRegularizer, Lambdas = p.Lambdas };
        int chosen = 0;
        foreach (int budget in new[] { 2, 4, 6 })
        {
            try
            {
                CrossValidationResult result = new CrossValidation(warm, new CrossValidationOptions { Folds = 3, Seed = 5, MaxInputs = budget, Refit = true }).Run(Network(), Data);
                PathPoint point = result.Path.Points[result.IndexChosen];
                Assert.True(point.Selection.Inputs.Count <= budget);
                Assert.True(result.Model.Selection.Inputs.Count <= budget, $"budget {budget}: the model keeps {result.Model.Selection.Inputs.Count} inputs");
                if (point.WarmStarted && !ReferenceEquals(point, result.Model))
                {
                    Assert.Equal(result.LambdaChosen, result.Model.Lambda);
                    Assert.False(result.Model.WarmStarted);
                }

                chosen++;
            }
            catch (InvalidOperationException e) when (e.Message.Contains("'MaxInputs'", StringComparison.Ordinal))
            {
                // This direction's path never came within the budget: a clear refusal, not a model over it.
            }
        }

        Assert.True(chosen > 0, "no budget was met: the test checked nothing");
    }

    [Fact]
    public void With_a_budget_parallel_folds_are_bit_identical_to_sequential_ones()
    {
        CrossValidationResult one = new CrossValidation(Path(), Options(2, LambdaRule.OneStandardError, threads: 1)).Run(Network(), Data);
        CrossValidationResult two = new CrossValidation(Path(), Options(2, LambdaRule.OneStandardError, threads: 2)).Run(Network(), Data);

        Assert.Equal(one.Scores, two.Scores);
        Assert.Equal((one.IndexMin, one.Index1Se, one.IndexChosen), (two.IndexMin, two.Index1Se, two.IndexChosen));
        Assert.Equal(one.Model.Parameters.ToArray(), two.Model.Parameters.ToArray());
        Assert.True(one.Model.Selection.Inputs.Count <= 2);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("fr-FR")]
    public void The_budget_error_reads_the_same_under_every_culture(string culture)
    {
        LambdaScore[] scores = [new() { Lambda = 0.5f, MeanLoss = 0.5, SelectedInputs = 1234 }, new() { Lambda = 0.1f, MeanLoss = 0.4, SelectedInputs = 2345 }];
        string Message() => Assert.Throws<InputBudgetException>(() => CrossValidation.Choose(scores, CrossValidationMeasure.Loss, 1000)).Message;
        string invariant = Message();
        using var scope = new CultureScope(culture);
        Assert.Equal(invariant, Message());
        Assert.Contains("at most 1000 inputs ('MaxInputs' = 1000); the fewest any lambda's model uses is 1234", Message(), StringComparison.Ordinal);
    }
}
