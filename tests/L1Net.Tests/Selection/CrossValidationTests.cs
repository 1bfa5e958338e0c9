using L1Net.Tests.Regularization;

namespace L1Net.Tests.Selection;

public class CrossValidationTests
{
    private static readonly Dataset Data = SparsityProblem.Create(120, 31);

    private static RegularizationPathOptions Path() => new()
    {
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

    [Fact]
    public void Preprocessing_is_fitted_on_training_rows_only()
    {
        var step = new CountingStep();
        var options = new CrossValidationOptions { Folds = 3, Preprocessing = step };

        new CrossValidation(Path(), options).Run(SparsityProblem.Network(), Data);

        Assert.Equal((120, 120), step.Calls[0]);
        Assert.Equal(6, step.Calls.Count - 1);
        Assert.All(step.Calls.Skip(1), f => Assert.Equal(80, f.FitRows));
        Assert.Contains(step.Calls, c => c is (80, 40));
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

    /// <summary>Records (fit rows, transformed rows) of every Fit(...).Transform(...) pair.</summary>
    private sealed class CountingStep : IPreprocessor
    {
        private readonly int _fitRows;

        public CountingStep()
            : this([], 0)
        {
        }

        private CountingStep(List<(int FitRows, int Rows)> calls, int fitRows)
        {
            Calls = calls;
            _fitRows = fitRows;
        }

        public List<(int FitRows, int Rows)> Calls { get; }

        public string Name => "counting";

        public bool IsFitted => _fitRows > 0;

        public int FeatureCount => 0;

        public IPreprocessor Fit(Dataset trainingRows) => new CountingStep(Calls, trainingRows.Count);

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
        var cv = new CrossValidation(Path(), new CrossValidationOptions { Folds = 5 });
        Assert.Throws<ArgumentException>("data", () => cv.Run(SparsityProblem.Network(), Data.Subset([0, 1, 2])));
    }
}
