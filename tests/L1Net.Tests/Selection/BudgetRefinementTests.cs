namespace L1Net.Tests.Selection;

/// <summary>
/// <see cref="CrossValidationOptions.BudgetRefinement"/>: where the path's input count on all the rows jumps over
/// <see cref="CrossValidationOptions.MaxInputs"/> between neighbouring lambdas, lambdas are bisected into that interval
/// before the folds run, and every fold scores them like the others.
/// </summary>
public class BudgetRefinementTests
{
    private static readonly Dataset Data = InputBudgetTests.Planted(400, 7);

    /// <summary>
    /// A coarse grid: on <see cref="Data"/> the input-group-lasso path keeps 4 inputs at 0.1 (the planted ones), 5 at 0.03
    /// and all 10 at 0.003 (6 at 0.01, 8 at 0.006, 9 at 0.004 on a finer grid).
    /// </summary>
    private static readonly float[] Coarse = [0.3f, 0.1f, 0.03f, 0.003f];

    private static RegularizationPathOptions Path(PathDirection direction = PathDirection.ColdStarts) => new()
    {
        Trainer = new TrainerOptions { Epochs = 40, BatchSize = 50, Seed = 3, Optimizer = Optimizer.Adam(0.02f) },
        CreateRegularizer = Regularizer.InputGroupLasso,
        Lambdas = Coarse,
        Direction = direction,
    };

    private static CrossValidationOptions Options(int? budget, int refinement = 6, int threads = 1, LambdaRule rule = LambdaRule.Minimum) =>
        new() { Folds = 3, Seed = 5, Relax = true, MaxInputs = budget, BudgetRefinement = refinement, Rule = rule, MaxDegreeOfParallelism = threads };

    private static int MostInputsWithin(CrossValidationResult r, int budget) =>
        r.Scores.Where(s => s.SelectedInputs <= budget).Max(s => s.SelectedInputs);

    [Fact]
    public void A_jump_over_the_budget_is_bisected_and_offers_a_model_with_more_inputs_within_it()
    {
        const int budget = 8;
        CrossValidationResult coarse = new CrossValidation(Path(), Options(budget, refinement: 0)).Run(InputBudgetTests.Network(), Data);
        CrossValidationResult refined = new CrossValidation(Path(), Options(budget)).Run(InputBudgetTests.Network(), Data);

        // The coarse grid jumps from 5 inputs (0.03) to 10 (0.003): within a budget of 8 it offers at most 5.
        Assert.Equal([0, 4, 5, 10], coarse.Scores.Select(s => s.SelectedInputs));
        Assert.Empty(coarse.InsertedLambdas);
        Assert.Equal(5, MostInputsWithin(coarse, budget));

        // Refined, it offers a point with more inputs within the budget.
        Assert.NotEmpty(refined.InsertedLambdas);
        Assert.InRange(MostInputsWithin(refined, budget), 6, budget);

        // The grid is the coarse one plus the inserted lambdas, strictly decreasing; scores, path and folds all follow it.
        float[] grid = [.. refined.Scores.Select(s => s.Lambda)];
        Assert.Equal(Coarse.Concat(refined.InsertedLambdas).OrderDescending(), grid);
        Assert.True(grid.Zip(grid.Skip(1)).All(g => g.First > g.Second), "the refined grid is not strictly decreasing");
        Assert.Equal(grid, refined.Path.Lambdas);
        Assert.Equal(grid, refined.PenalizedScores.Select(s => s.Lambda));
        Assert.All(refined.Folds, f => Assert.Equal(grid.Length, f.Losses.Count));

        // Each inserted lambda bisects, geometrically, the interval between the last in-budget and the first over-budget
        // point of the grid as it was when it was inserted.
        var replay = Coarse.ToList();
        int Inputs(float lambda) => refined.Scores.Single(s => s.Lambda == lambda).SelectedInputs;
        foreach (float lambda in refined.InsertedLambdas)
        {
            int over = replay.FindIndex(l => Inputs(l) > budget);
            Assert.True(over > 0);
            Assert.True(Inputs(replay[over - 1]) < budget);
            Assert.Equal(CrossValidation.BudgetMidpoint(replay[over - 1], replay[over]), lambda);
            Assert.True(lambda < replay[over - 1] && lambda > replay[over], $"{lambda} is not strictly between {replay[over - 1]} and {replay[over]}");
            replay.Insert(over, lambda);
        }

        // It stopped for a reason: a point with exactly the budget, or the rounds ran out.
        Assert.True(Inputs(refined.InsertedLambdas[^1]) == budget || refined.InsertedLambdas.Count == 6);

        // The coarse lambdas keep their scores (cold-started points depend only on their lambda), and the path's points on
        // all the rows are those of a plain path run on the refined grid.
        Assert.Equal(coarse.Scores, refined.Scores.Where(s => Coarse.Contains(s.Lambda)));
        RegularizationPathResult plain = new RegularizationPath(new RegularizationPathOptions { Trainer = Path().Trainer, CreateRegularizer = Path().CreateRegularizer, Lambdas = grid }).Run(InputBudgetTests.Network(), Data); // no Preprocessing in these options
        Assert.Equal(plain.Points.Select(p => p.Parameters.ToArray()), refined.Path.Points.Select(p => p.Parameters.ToArray()));

        // The choice keeps to the budget and is the best in-budget lambda of the refined grid.
        Assert.True(refined.Model.Selection.Inputs.Count <= budget);
        Assert.Equal(CrossValidation.Choose(refined.Scores, CrossValidationMeasure.Loss, budget).IndexMin, refined.IndexChosen);
    }

    [Theory]
    [InlineData(4)]  // 0.1 keeps exactly 4: the budget is already on the grid
    [InlineData(10)] // nothing is over the budget
    public void Without_a_jump_over_the_budget_nothing_is_inserted_and_the_run_is_the_unrefined_one(int budget)
    {
        CrossValidationResult refined = new CrossValidation(Path(), Options(budget)).Run(InputBudgetTests.Network(), Data);
        CrossValidationResult off = new CrossValidation(Path(), Options(budget, refinement: 0)).Run(InputBudgetTests.Network(), Data);

        Assert.Empty(refined.InsertedLambdas);
        Assert.Equal(Coarse, refined.Scores.Select(s => s.Lambda));
        Assert.Equal(off.Scores, refined.Scores);
        Assert.Equal((off.IndexMin, off.Index1Se, off.IndexChosen), (refined.IndexMin, refined.Index1Se, refined.IndexChosen));
        Assert.Equal(off.Model.Parameters.ToArray(), refined.Model.Parameters.ToArray());
    }

    [Fact]
    public void Without_a_budget_the_grid_is_never_refined()
    {
        CrossValidationResult free = new CrossValidation(Path(), Options(null)).Run(InputBudgetTests.Network(), Data);
        Assert.Empty(free.InsertedLambdas);
        Assert.Equal(Coarse, free.Scores.Select(s => s.Lambda));
    }

    [Fact]
    public void The_rounds_bound_the_inserted_lambdas()
    {
        CrossValidationResult one = new CrossValidation(Path(), Options(7, refinement: 1)).Run(InputBudgetTests.Network(), Data);
        CrossValidationResult two = new CrossValidation(Path(), Options(7, refinement: 2)).Run(InputBudgetTests.Network(), Data);

        Assert.Single(one.InsertedLambdas);
        Assert.Equal(CrossValidation.BudgetMidpoint(0.03f, 0.003f), one.InsertedLambdas[0]);
        Assert.True(two.InsertedLambdas.Count <= 2);
        Assert.Equal(one.InsertedLambdas[0], two.InsertedLambdas[0]);
        Assert.Equal(5, one.Scores.Count);
    }

    [Fact]
    public void With_refinement_parallel_folds_are_bit_identical_to_sequential_ones()
    {
        CrossValidationResult one = new CrossValidation(Path(), Options(8, threads: 1, rule: LambdaRule.OneStandardError)).Run(InputBudgetTests.Network(), Data);
        CrossValidationResult two = new CrossValidation(Path(), Options(8, threads: 2, rule: LambdaRule.OneStandardError)).Run(InputBudgetTests.Network(), Data);

        Assert.NotEmpty(one.InsertedLambdas);
        Assert.Equal(one.InsertedLambdas, two.InsertedLambdas);
        Assert.Equal(one.Scores, two.Scores);
        Assert.Equal((one.IndexMin, one.Index1Se, one.IndexChosen), (two.IndexMin, two.Index1Se, two.IndexChosen));
        Assert.Equal(one.Model.Parameters.ToArray(), two.Model.Parameters.ToArray());
        Assert.Equal(one.Path.Points.Select(p => p.Parameters.ToArray()), two.Path.Points.Select(p => p.Parameters.ToArray()));
    }

    [Fact]
    public void A_warm_path_is_retrained_on_the_refined_grid()
    {
        CrossValidationResult refined = new CrossValidation(Path(PathDirection.WarmUpward), new CrossValidationOptions { Folds = 3, Seed = 5, MaxInputs = 8, Refit = true }).Run(InputBudgetTests.Network(), Data);
        float[] grid = [.. refined.Scores.Select(s => s.Lambda)];
        Assert.True(grid.Zip(grid.Skip(1)).All(g => g.First > g.Second));
        Assert.All(refined.InsertedLambdas, l => Assert.Contains(l, grid));

        // The path on all the rows is the warm path on the refined grid, trained in one piece.
        RegularizationPathResult plain = new RegularizationPath(new RegularizationPathOptions { Trainer = Path().Trainer, CreateRegularizer = Path().CreateRegularizer, Lambdas = grid, Direction = PathDirection.WarmUpward }).Run(InputBudgetTests.Network(), Data);
        Assert.Equal(plain.Points.Select(p => p.Parameters.ToArray()), refined.Path.Points.Select(p => p.Parameters.ToArray()));
        Assert.True(refined.Model.Selection.Inputs.Count <= 8);
    }

    [Fact]
    public void Cancelled_during_refinement_the_network_is_left_as_it_was()
    {
        DenseNetwork network = InputBudgetTests.Network();
        float[] before = network.Parameters.ToArray();
        using var cts = new CancellationTokenSource();
        int trained = 0;
        var progress = new SyncProgress(p =>
        {
            if (p.Stage == PathStage.Path && ++trained == Coarse.Length + 1)
            {
                cts.Cancel(); // after the first inserted lambda's training
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => new CrossValidation(Path(), Options(8)).Run(network, Data, progress, cts.Token));
        Assert.Equal(Coarse.Length + 1, trained);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(CrossValidationOptions.MaxBudgetRefinement + 1)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void Refinement_rounds_out_of_range_are_refused_when_the_cross_validation_is_created(int rounds)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CrossValidation(Path(), new CrossValidationOptions { MaxInputs = 3, BudgetRefinement = rounds }));
        Assert.Equal("BudgetRefinement", e.ParamName);
        Assert.Contains("'BudgetRefinement' must be at least 0 (0: off) and at most 30", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(CrossValidationOptions.MaxBudgetRefinement)]
    public void The_ends_of_the_rounds_range_are_accepted(int rounds)
    {
        var cv = new CrossValidation(Path(), new CrossValidationOptions { MaxInputs = 3, BudgetRefinement = rounds });
        Assert.Equal(rounds, cv.Options.BudgetRefinement);
        Assert.Equal(6, new CrossValidationOptions().BudgetRefinement);
    }

    [Fact]
    public void The_midpoint_is_geometric_halves_towards_zero_and_is_not_inside_an_exhausted_interval()
    {
        Assert.Equal((float)Math.Sqrt((double)0.08f * 0.07f), CrossValidation.BudgetMidpoint(0.08f, 0.07f));
        Assert.Equal(0.05f, CrossValidation.BudgetMidpoint(0.1f, 0f));

        // Two neighbouring floats: nothing lies strictly between them, so the refinement stops there.
        float upper = 0.07f, lower = MathF.BitDecrement(upper);
        float mid = CrossValidation.BudgetMidpoint(upper, lower);
        Assert.False(mid < upper && mid > lower);
    }

    private sealed class SyncProgress(Action<PathProgress> report) : IProgress<PathProgress>
    {
        public void Report(PathProgress value) => report(value);
    }
}
