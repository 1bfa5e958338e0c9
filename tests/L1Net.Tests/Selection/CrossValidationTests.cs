using L1Net.Tests.Regularization;

namespace L1Net.Tests.Selection;

public class CrossValidationTests
{
    private static readonly Dataset Data = SparsityProblem.Create(120, 31);

    private static RegularizationPathOptions Path(PathDirection direction = PathDirection.ColdStarts) => new()
    {
        Direction = direction,
        Trainer = new TrainerOptions { Epochs = 10, LearningRate = 0.05f, BatchSize = 5, Seed = 2 },
        CreateRegularizer = Regularizer.ProximalL1,
        Lambdas = [0.2f, 0.05f, 0.01f, 0.001f],
    };

    [Fact]
    public void Lambda_min_is_the_best_mean_and_lambda_1se_the_largest_lambda_within_one_standard_error_of_it()
    {
        LambdaScore[] scores =
        [
            new() { Lambda = 1f, MeanLoss = 1.0, LossStandardError = 0.01 },
            new() { Lambda = 0.5f, MeanLoss = 0.62, LossStandardError = 0.02 },   // above 0.55 + 0.05
            new() { Lambda = 0.25f, MeanLoss = 0.58, LossStandardError = 0.02 },
            new() { Lambda = 0.1f, MeanLoss = 0.55, LossStandardError = 0.05 },
            new() { Lambda = 0.05f, MeanLoss = 0.57, LossStandardError = 0.01 },
        ];

        Assert.Equal((3, 2), CrossValidation.Choose(scores, CrossValidationMeasure.Loss));
    }

    [Fact]
    public void By_misclassification_error_the_largest_of_tied_best_lambdas_is_lambda_min()
    {
        LambdaScore[] scores =
        [
            new() { Lambda = 1f, MeanAccuracy = 0.4, AccuracyStandardError = 0.01 },
            new() { Lambda = 0.5f, MeanAccuracy = 0.9, AccuracyStandardError = 0.02 },
            new() { Lambda = 0.25f, MeanAccuracy = 0.9, AccuracyStandardError = 0.02 },
        ];

        Assert.Equal((1, 1), CrossValidation.Choose(scores, CrossValidationMeasure.MisclassificationError));
    }

    [Fact]
    public void Scores_every_lambda_on_held_out_folds_with_the_standard_error_over_folds()
    {
        DenseNetwork net = SparsityProblem.Network();
        float[] before = net.Parameters.ToArray();
        var reports = new List<PathProgress>();

        CrossValidationResult result = new CrossValidation(Path(), new CrossValidationOptions { Folds = 3, Seed = 4 }).Run(net, Data, new Recorder<PathProgress>(reports));

        Assert.Equal(before, net.Parameters.ToArray());
        Assert.Equal([0.2f, 0.05f, 0.01f, 0.001f], result.Scores.Select(s => s.Lambda));
        Assert.Equal(4 * 4, reports.Count);                  // the full path and three folds, four lambdas each
        Assert.Equal([0, 1, 2, 3], reports.Select(r => r.Fold).Distinct());
        foreach (LambdaScore s in result.Scores)
        {
            Assert.InRange(s.MeanAccuracy, 0, 1);
            Assert.True(s.AccuracyStandardError >= 0 && s.LossStandardError >= 0);
            Assert.InRange(s.NonzeroWeights, 0, s.WeightCount);
        }

        // Recompute fold 1 by hand: same folds, same path on its training rows, scored on its held-out rows.
        int[] fold = DataSplit.KFold(Data, 3, true, 4);
        Dataset train = Data.Subset(Enumerable.Range(0, Data.Count).Where(r => fold[r] != 0).ToArray());
        Dataset validation = Data.Subset(Enumerable.Range(0, Data.Count).Where(r => fold[r] == 0).ToArray());
        RegularizationPathResult path = new RegularizationPath(Path()).Run(SparsityProblem.Network(), train);
        var scratch = SparsityProblem.Network();
        path.Points[2].CopyTo(scratch);
        double accuracy = Metrics.Accuracy(scratch, validation);
        Assert.Contains(reports, r => r.Fold == 1 && r.Index == 2 && r.NonzeroWeights == path.Points[2].NonzeroWeights);
        Assert.InRange(accuracy, 0, 1);
        Assert.True(result.Scores[2].MeanAccuracy - (3 * result.Scores[2].AccuracyStandardError * Math.Sqrt(3)) <= accuracy + 1e-9);

        Assert.Equal(result.Path.Points.Select(p => p.NonzeroWeights), result.Scores.Select(s => s.NonzeroWeights));
        Assert.True(result.Lambda1Se >= result.LambdaMin);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Preprocessing_is_fitted_once_per_fold_on_its_training_rows_and_once_on_all_rows(bool searchAndRelax)
    {
        // With a searched lambda_max and a relaxed model, the search, the path on all rows and the model share one fit.
        var step = new CountingStep();
        var options = new CrossValidationOptions { Folds = 3, Preprocessing = step, Relax = searchAndRelax };
        RegularizationPathOptions path = searchAndRelax
            ? new() { Trainer = Path().Trainer, CreateRegularizer = Regularizer.ProximalL1, LambdaCount = 3, LambdaMinRatio = 0.1f }
            : Path();

        new CrossValidation(path, options).Run(SparsityProblem.Network(), Data);

        Assert.Equal([120, 80, 80, 80], step.Fits);
        Assert.Equal((120, 120), step.Calls[0]);
        Assert.Equal(7, step.Calls.Count);                        // all rows once, then each fold's training and validation rows
        Assert.Equal(3, step.Calls.Count(c => c is (80, 80)));
        Assert.Equal(3, step.Calls.Count(c => c is (80, 40)));
    }

    [Fact]
    public void A_standardizer_is_refitted_per_fold_not_leaked_from_all_rows()
    {
        var path = Path();
        var perFold = new CrossValidation(path, new CrossValidationOptions { Folds = 3, Preprocessing = new Standardizer() }).Run(SparsityProblem.Network(), Data);
        Standardizer leaky = new Standardizer().Fit(Data);
        var leaked = new CrossValidation(path, new CrossValidationOptions { Folds = 3 }).Run(SparsityProblem.Network(), leaky.Transform(Data));

        // The path on all the data is the same either way (fitted on all the rows); the fold scores are not.
        Assert.Equal(leaked.Path.Points.Select(p => p.NonzeroWeights), perFold.Path.Points.Select(p => p.NonzeroWeights));
        Assert.NotEqual(leaked.Scores.Select(s => s.MeanLoss), perFold.Scores.Select(s => s.MeanLoss));
    }

    /// <summary>Records the rows of every Fit, and (fit rows, transformed rows) of every Fit(...).Transform(...) pair.</summary>
    private sealed class CountingStep : IPreprocessor
    {
        private readonly int _fitRows;

        public CountingStep()
            : this([], [], 0)
        {
        }

        private CountingStep(List<(int FitRows, int Rows)> calls, List<int> fits, int fitRows)
        {
            Calls = calls;
            Fits = fits;
            _fitRows = fitRows;
        }

        public List<(int FitRows, int Rows)> Calls { get; }

        /// <summary>The rows of every Fit call, in order.</summary>
        public List<int> Fits { get; }

        public string Name => "counting";

        public bool IsFitted => _fitRows > 0;

        public int FeatureCount => 0;

        public IPreprocessor Fit(Dataset trainingRows)
        {
            Fits.Add(trainingRows.Count);
            return new CountingStep(Calls, Fits, trainingRows.Count);
        }

        public void Transform(ReadOnlySpan<float> features, Span<float> destination) => features.CopyTo(destination);

        public Dataset Transform(Dataset data)
        {
            Calls.Add((_fitRows, data.Count));
            return data;
        }
    }

    [Fact]
    public void Is_deterministic()
    {
        var cv = new CrossValidation(Path(), new CrossValidationOptions { Folds = 3 });
        CrossValidationResult a = cv.Run(SparsityProblem.Network(), Data);
        CrossValidationResult b = cv.Run(SparsityProblem.Network(), Data);
        Assert.Equal(a.Scores, b.Scores);
    }

    [Fact]
    public void Rejects_early_stopping_in_the_path_options()
    {
        var path = new RegularizationPathOptions { Trainer = new TrainerOptions { EarlyStopping = new EarlyStoppingOptions { Validation = Data } } };
        Assert.Throws<ArgumentException>("path", () => new CrossValidation(path, new CrossValidationOptions()));
    }

    [Fact]
    public void Rejects_bad_options_and_too_few_rows()
    {
        Assert.Throws<ArgumentOutOfRangeException>("Folds", () => new CrossValidation(Path(), new CrossValidationOptions { Folds = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>("Measure", () => new CrossValidation(Path(), new CrossValidationOptions { Measure = (CrossValidationMeasure)7 }));
        Assert.Throws<ArgumentOutOfRangeException>("Repeats", () => new CrossValidation(Path(), new CrossValidationOptions { Repeats = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("Rule", () => new CrossValidation(Path(), new CrossValidationOptions { Rule = (LambdaRule)5 }));
        Assert.Throws<ArgumentOutOfRangeException>("MaxDegreeOfParallelism", () => new CrossValidation(Path(), new CrossValidationOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("MaxDegreeOfParallelism", () => new CrossValidation(Path(), new CrossValidationOptions { MaxDegreeOfParallelism = -2 }));
        var cv = new CrossValidation(Path(), new CrossValidationOptions { Folds = 5 });
        Assert.Throws<ArgumentException>("data", () => cv.Run(SparsityProblem.Network(), Data.Subset([0, 1, 2])));
    }

    [Theory]
    [InlineData(PathDirection.ColdStarts)]
    [InlineData(PathDirection.WarmUpward)]
    [InlineData(PathDirection.WarmDownward)]
    public void Every_fold_starts_from_the_callers_initial_network_never_from_another_folds_model(PathDirection direction)
    {
        // Before the fix, folds 2..K started from the previous fold's smallest-lambda model, trained on their own held-out rows.
        DenseNetwork net = SparsityProblem.Network();
        float[] before = net.Parameters.ToArray();
        CrossValidationResult result = new CrossValidation(Path(direction), new CrossValidationOptions { Folds = 3, Seed = 4 }).Run(net, Data);
        Assert.Equal(before, net.Parameters.ToArray());

        int[] assignment = DataSplit.KFold(Data, 3, true, 4);
        for (int f = 0; f < 3; f++)
        {
            Dataset train = Data.Subset(Enumerable.Range(0, Data.Count).Where(r => assignment[r] != f).ToArray());
            Dataset validation = Data.Subset(Enumerable.Range(0, Data.Count).Where(r => assignment[r] == f).ToArray());
            RegularizationPathResult path = new RegularizationPath(Path(direction)).Run(SparsityProblem.Network(), train);
            CrossValidationFold fold = result.Folds[f];
            Assert.Equal((0, f), (fold.Repeat, fold.Fold));
            Assert.Equal(Enumerable.Range(0, Data.Count).Where(r => assignment[r] == f), fold.ValidationRows.ToArray());
            for (int k = 0; k < 4; k++)
            {
                DenseNetwork scratch = SparsityProblem.Network();
                path.Points[k].CopyTo(scratch);
                Assert.Equal(Metrics.MeanLoss(scratch, validation, LossFunction.CrossEntropy), fold.Losses[k]);
                Assert.Equal(Metrics.Accuracy(scratch, validation), fold.Accuracies[k]);
                Assert.Equal(path.Points[k].NonzeroWeights, fold.NonzeroWeights[k]);
            }
        }
    }

    [Fact]
    public void Fold_k_alone_equals_fold_k_in_the_full_run_and_reordering_the_folds_changes_nothing()
    {
        var cv = new CrossValidation(Path(PathDirection.WarmUpward), new CrossValidationOptions { Folds = 4, Seed = 9 });
        IReadOnlyList<float> lambdas = cv.Lambdas(SparsityProblem.Network(), Data, null, default);
        CrossValidationResult forward = cv.RunFolds(SparsityProblem.Network(), Data, lambdas, [0, 1, 2, 3], null, default);
        CrossValidationResult shuffled = cv.RunFolds(SparsityProblem.Network(), Data, lambdas, [2, 0, 3, 1], null, default);
        AssertIdentical(forward, shuffled);

        int[] assignment = DataSplit.KFold(Data, 4, true, 9);
        for (int f = 3; f >= 0; f--)
        {
            CrossValidationFold alone = cv.RunFold(SparsityProblem.Network(), Data, lambdas, assignment, f, null, default);
            Assert.Equal(forward.Folds[f].Losses, alone.Losses);
            Assert.Equal(forward.Folds[f].Accuracies, alone.Accuracies);
            Assert.Equal(forward.Folds[f].NonzeroWeights, alone.NonzeroWeights);
        }
    }

    [Fact]
    public void Parallel_folds_are_bit_identical_to_sequential_ones()
    {
        var sequential = new CrossValidation(Path(PathDirection.WarmDownward), new CrossValidationOptions { Folds = 3, Repeats = 2, MaxDegreeOfParallelism = 1 });
        var parallel = new CrossValidation(Path(PathDirection.WarmDownward), new CrossValidationOptions { Folds = 3, Repeats = 2, MaxDegreeOfParallelism = -1 });
        var threeThreads = new CrossValidation(Path(PathDirection.WarmDownward), new CrossValidationOptions { Folds = 3, Repeats = 2, MaxDegreeOfParallelism = 3 });
        DenseNetwork net = SparsityProblem.Network();
        float[] before = net.Parameters.ToArray();
        CrossValidationResult a = sequential.Run(SparsityProblem.Network(), Data);
        CrossValidationResult b = parallel.Run(net, Data);
        CrossValidationResult c = threeThreads.Run(SparsityProblem.Network(), Data);
        Assert.Equal(before, net.Parameters.ToArray());
        AssertIdentical(a, b);
        AssertIdentical(a, c);
    }

    [Fact]
    public void Cancelling_parallel_folds_throws_and_leaves_the_network_as_it_was()
    {
        DenseNetwork net = SparsityProblem.Network();
        float[] before = net.Parameters.ToArray();
        using var cts = new CancellationTokenSource();
        var progress = new CancelOnReport(cts);
        var cv = new CrossValidation(Path(), new CrossValidationOptions { Folds = 3, MaxDegreeOfParallelism = 2 });
        Assert.ThrowsAny<OperationCanceledException>(() => cv.Run(net, Data, progress, cts.Token));
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void The_model_is_refitted_on_all_rows_at_the_chosen_lambda_from_the_initial_network()
    {
        CrossValidationResult warm = new CrossValidation(Path(PathDirection.WarmDownward), new CrossValidationOptions { Folds = 3 }).Run(SparsityProblem.Network(), Data);
        Assert.Equal(warm.Index1Se, warm.IndexChosen);
        Assert.Equal(warm.Lambda1Se, warm.LambdaChosen);
        Assert.Equal(warm.Scores[warm.Index1Se], warm.Chosen);
        DenseNetwork refit = SparsityProblem.Network();
        new BackPropTrainer(Path().Trainer, Regularizer.ProximalL1(warm.LambdaChosen)).Train(refit, Data);
        Assert.Equal(refit.Parameters.ToArray(), warm.Model.Parameters.ToArray());
        Assert.False(warm.Model.WarmStarted);
        Assert.Equal(warm.LambdaChosen, warm.Model.Lambda);

        // Keeping the path's model instead is an option.
        CrossValidationResult kept = new CrossValidation(Path(PathDirection.WarmDownward), new CrossValidationOptions { Folds = 3, Refit = false }).Run(SparsityProblem.Network(), Data);
        Assert.Same(kept.Path.Points[kept.IndexChosen], kept.Model);

        // With cold starts the path's point already is the refit: no training is repeated, and the parameters are the same.
        CrossValidationResult cold = new CrossValidation(Path(), new CrossValidationOptions { Folds = 3, Rule = LambdaRule.Minimum }).Run(SparsityProblem.Network(), Data);
        Assert.Equal(cold.IndexMin, cold.IndexChosen);
        refit = SparsityProblem.Network();
        new BackPropTrainer(Path().Trainer, Regularizer.ProximalL1(cold.LambdaChosen)).Train(refit, Data);
        Assert.Equal(refit.Parameters.ToArray(), cold.Model.Parameters.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_models_training_result_holds_no_deferred_evaluation_of_the_training_rows(bool relax)
    {
        // A deferred Final keeps a parameter copy and the training rows (a relaxed refit's: a masked copy of every feature)
        // until it is read; a model outlives the call, so its Final is evaluated before Run returns.
        CrossValidationResult result = new CrossValidation(Path(PathDirection.WarmDownward), new CrossValidationOptions { Folds = 3, Relax = relax }).Run(SparsityProblem.Network(), Data);
        Assert.False(result.Model.WarmStarted, "a relaxed fit or a refit, not the path's own point");
        Assert.True(result.Model.Training.FinalEvaluated);
        Assert.All(result.Path.Points, p => Assert.True(p.Training.FinalEvaluated));
        Assert.True(double.IsFinite(result.Model.Training.Final.Loss));
    }

    [Fact]
    public void Repeated_k_fold_uses_a_new_fold_assignment_per_repeat_and_scores_over_every_fold()
    {
        CrossValidationResult result = new CrossValidation(Path(), new CrossValidationOptions { Folds = 3, Repeats = 2, Seed = 5 }).Run(SparsityProblem.Network(), Data);
        Assert.Equal(6, result.Folds.Count);
        Assert.Equal([(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)], result.Folds.Select(f => (f.Repeat, f.Fold)));
        for (int r = 0; r < 2; r++)
        {
            int[] assignment = DataSplit.KFold(Data, 3, true, 5 + r);
            int[] held = result.Folds.Where(f => f.Repeat == r).SelectMany(f => f.ValidationRows.ToArray()).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, Data.Count), held);
            foreach (CrossValidationFold f in result.Folds.Where(f => f.Repeat == r))
            {
                Assert.All(f.ValidationRows.ToArray(), row => Assert.Equal(f.Fold, assignment[row]));
            }
        }

        Assert.NotEqual(result.Folds[0].ValidationRows.ToArray(), result.Folds[3].ValidationRows.ToArray());
        for (int k = 0; k < result.Scores.Count; k++)
        {
            double[] losses = result.Folds.Select(f => f.Losses[k]).ToArray();
            double mean = losses.Average();
            double[] repeatMeans = [losses[..3].Average(), losses[3..].Average()];
            double within = losses.Select((x, i) => (x - repeatMeans[i / 3]) * (x - repeatMeans[i / 3])).Sum();
            double se = Math.Sqrt(within / (2 * (3 - 1)) / 3);   // pooled within-repeat variance over 2 x (3 - 1) degrees of freedom, over sqrt(K = 3)
            Assert.Equal(mean, result.Scores[k].MeanLoss, 12);
            Assert.Equal(se, result.Scores[k].LossStandardError, 12);
            Assert.Equal(result.Folds.Average(f => f.Accuracies[k]), result.Scores[k].MeanAccuracy, 12);
            Assert.Equal(result.Folds.Average(f => f.NonzeroWeights[k]), result.Scores[k].MeanFoldNonzeroWeights, 12);
        }
    }

    [Fact]
    public void With_one_repeat_the_standard_error_is_the_fold_standard_deviation_over_the_square_root_of_k()
    {
        double[] values = [0.9, 0.8, 1.0, 0.7, 0.85];
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / 4);

        (double m, double se) = CrossValidation.MeanAndStandardError(values, 5);

        Assert.Equal(mean, m, 15);
        Assert.Equal(sd / Math.Sqrt(5), se, 15);
    }

    [Fact]
    public void Repeats_steady_the_mean_but_do_not_shrink_the_standard_error()
    {
        // The same five fold values seen twice (a repeat that re-uses the same rows adds no information): the standard error
        // must stay that of one 5-fold estimate, not fall by sqrt(2) as if the ten values were independent.
        double[] once = [0.9, 0.8, 1.0, 0.7, 0.85];
        double[] twice = [.. once, .. once];
        Assert.Equal(CrossValidation.MeanAndStandardError(once, 5).StandardError, CrossValidation.MeanAndStandardError(twice, 5).StandardError, 15);

        // Two repeats whose folds differ only by a shift of the repeat's level: the shift moves the mean, not the
        // within-repeat spread that the standard error measures.
        double[] shifted = [.. once, .. once.Select(x => x - 0.1)];
        (double mean, double se) = CrossValidation.MeanAndStandardError(shifted, 5);
        Assert.Equal(once.Average() - 0.05, mean, 12);
        Assert.Equal(CrossValidation.MeanAndStandardError(once, 5).StandardError, se, 12);
    }

    private static void AssertIdentical(CrossValidationResult a, CrossValidationResult b)
    {
        Assert.Equal(a.Scores, b.Scores);
        Assert.Equal((a.IndexMin, a.Index1Se, a.IndexChosen), (b.IndexMin, b.Index1Se, b.IndexChosen));
        Assert.Equal(a.Model.Parameters.ToArray(), b.Model.Parameters.ToArray());
        Assert.Equal(a.Folds.Count, b.Folds.Count);
        for (int f = 0; f < a.Folds.Count; f++)
        {
            Assert.Equal(a.Folds[f].Losses, b.Folds[f].Losses);
            Assert.Equal(a.Folds[f].Accuracies, b.Folds[f].Accuracies);
            Assert.Equal(a.Folds[f].NonzeroWeights, b.Folds[f].NonzeroWeights);
            Assert.Equal(a.Folds[f].ValidationRows.ToArray(), b.Folds[f].ValidationRows.ToArray());
        }

        for (int k = 0; k < a.Path.Points.Count; k++)
        {
            Assert.Equal(a.Path.Points[k].Parameters.ToArray(), b.Path.Points[k].Parameters.ToArray());
        }
    }

    private sealed class CancelOnReport(CancellationTokenSource cts) : IProgress<PathProgress>
    {
        public void Report(PathProgress value) => cts.Cancel();
    }
}
