using L1Net.Tests.Regularization;

namespace L1Net.Tests.Selection;

/// <summary>
/// <see cref="CrossValidationOptions.Relax"/>: every lambda scored by the unpenalized refit on the inputs it selects
/// (the relaxed lasso), the choice made on those scores, and the model the relaxed fit on all the rows.
/// </summary>
public class RelaxedCrossValidationTests
{
    private static readonly Dataset Data = SparsityProblem.Create(300, 11);

    private static TrainerOptions Trainer => new() { Epochs = 40, BatchSize = 50, Seed = 3, Optimizer = Optimizer.Adam(0.02f) };

    private static RegularizationPathOptions Path(Func<float, IRegularizer>? create = null) => new()
    {
        Trainer = Trainer,
        CreateRegularizer = create ?? Regularizer.GroupLasso,
        Lambdas = [0.3f, 0.1f, 0.03f, 0.01f, 0.001f],
    };

    private static CrossValidationOptions Options(bool relax, int threads = 1) => new() { Folds = 3, Seed = 5, Relax = relax, MaxDegreeOfParallelism = threads };

    /// <summary>The relaxed fit written out independently: zero the dropped inputs' columns of the rows and of W1, train without penalty.</summary>
    private static DenseNetwork RelaxedByHand(Dataset train, IReadOnlyList<int> inputs)
    {
        DenseNetwork net = SparsityProblem.Network();
        Span<float> w = net.GetWeights(0);
        var features = train.Features.ToArray();
        for (int i = 0; i < SparsityProblem.Inputs; i++)
        {
            if (inputs.Contains(i))
            {
                continue;
            }

            for (int o = 0; o < net.Layers[0].OutputSize; o++)
            {
                w[(o * SparsityProblem.Inputs) + i] = 0f;
            }

            for (int r = 0; r < train.Count; r++)
            {
                features[(r * SparsityProblem.Inputs) + i] = 0f;
            }
        }

        int[] labels = [.. Enumerable.Range(0, train.Count).Select(train.GetLabel)];
        new BackPropTrainer(Trainer, Regularizer.None).Train(net, Dataset.FromLabels(features, SparsityProblem.Inputs, labels, SparsityProblem.Classes));
        return net;
    }

    [Fact]
    public void Each_fold_scores_every_lambda_by_the_unpenalized_refit_on_the_inputs_its_path_selected()
    {
        DenseNetwork net = SparsityProblem.Network();
        float[] before = net.Parameters.ToArray();

        CrossValidationResult result = new CrossValidation(Path(), Options(relax: true)).Run(net, Data);

        Assert.Equal(before, net.Parameters.ToArray());
        Assert.True(result.Relaxed);
        int[] fold = DataSplit.KFold(Data, 3, true, 5);
        Dataset train = Data.Subset([.. Enumerable.Range(0, Data.Count).Where(r => fold[r] != 1)]);
        Dataset validation = Data.Subset([.. Enumerable.Range(0, Data.Count).Where(r => fold[r] == 1)]);
        RegularizationPathResult path = new RegularizationPath(Path()).Run(SparsityProblem.Network(), train);
        DenseNetwork scratch = SparsityProblem.Network();
        CrossValidationFold scored = result.Folds[1];
        for (int k = 0; k < path.Points.Count; k++)
        {
            DenseNetwork relaxed = RelaxedByHand(train, path.Points[k].Selection.Inputs);
            Assert.Equal(Metrics.MeanLoss(relaxed, validation, LossFunction.CrossEntropy), scored.Losses[k]);
            Assert.Equal(Metrics.Accuracy(relaxed, validation), scored.Accuracies[k]);

            path.Points[k].CopyTo(scratch);
            Assert.Equal(Metrics.MeanLoss(scratch, validation, LossFunction.CrossEntropy), scored.PenalizedLosses[k]);
            Assert.Equal(Metrics.Accuracy(scratch, validation), scored.PenalizedAccuracies[k]);
        }

        // The scores and the choice are the relaxed ones; the penalized ones are kept beside them.
        for (int k = 0; k < result.Scores.Count; k++)
        {
            Assert.Equal(result.Folds.Average(f => f.Losses[k]), result.Scores[k].MeanLoss, 12);
            Assert.Equal(result.Folds.Average(f => f.PenalizedLosses[k]), result.PenalizedScores[k].MeanLoss, 12);
            Assert.Equal(result.Path.Points[k].Selection.Inputs.Count, result.Scores[k].SelectedInputs);
        }

        Assert.Equal(CrossValidation.Choose(result.Scores, CrossValidationMeasure.Loss), (result.IndexMin, result.Index1Se));
    }

    [Fact]
    public void The_model_is_the_relaxed_fit_on_all_rows_of_the_chosen_lambdas_inputs_with_exact_zero_fan_out_elsewhere()
    {
        CrossValidationResult result = new CrossValidation(Path(), Options(relax: true)).Run(SparsityProblem.Network(), Data);

        IReadOnlyList<int> chosenInputs = result.Path.Points[result.IndexChosen].Selection.Inputs;
        DenseNetwork expected = RelaxedByHand(Data, chosenInputs);
        Assert.Equal(expected.Parameters.ToArray(), result.Model.Parameters.ToArray());
        Assert.Equal(result.LambdaChosen, result.Model.Lambda);
        Assert.False(result.Model.WarmStarted);
        Assert.Equal(chosenInputs, result.Model.Selection.Inputs);

        // The dropped inputs' fan-out is exactly 0, so the model predicts full rows and prunes to the chosen inputs.
        ReadOnlySpan<float> w = result.Model.Parameters[..(6 * SparsityProblem.Inputs)];
        for (int i = 0; i < SparsityProblem.Inputs; i++)
        {
            if (!chosenInputs.Contains(i))
            {
                for (int o = 0; o < 6; o++)
                {
                    Assert.Equal(0f, w[(o * SparsityProblem.Inputs) + i]);
                }
            }
        }
    }

    [Fact]
    public void Relaxed_CV_picks_the_informative_inputs_where_plain_CV_keeps_noise_inputs()
    {
        // Two informative inputs of eight. Plain CV scores the penalized, shrunken networks and prefers a small lambda;
        // relaxed CV scores each lambda's selection.
        CrossValidationResult relaxed = new CrossValidation(Path(), Options(relax: true)).Run(SparsityProblem.Network(), Data);
        CrossValidationResult plain = new CrossValidation(Path(), Options(relax: false)).Run(SparsityProblem.Network(), Data);

        Assert.Equal([0, 1], relaxed.Model.Selection.Inputs);
        Assert.True(plain.Model.Selection.Inputs.Count > 2, $"plain CV kept {plain.Model.Selection.Inputs.Count} inputs");
        DenseNetwork model = SparsityProblem.Network();
        relaxed.Model.CopyTo(model);
        Assert.True(Metrics.Accuracy(model, SparsityProblem.Create(1000, 12)) > 0.9);
    }

    [Fact]
    public void Without_Relax_the_penalized_scores_are_the_scores_and_with_it_parallel_folds_stay_bit_identical()
    {
        CrossValidationResult plain = new CrossValidation(Path(), Options(relax: false)).Run(SparsityProblem.Network(), Data);
        Assert.False(plain.Relaxed);
        Assert.Same(plain.Scores, plain.PenalizedScores);
        Assert.All(plain.Folds, f => Assert.Same(f.Losses, f.PenalizedLosses));

        CrossValidationResult one = new CrossValidation(Path(), Options(relax: true, threads: 1)).Run(SparsityProblem.Network(), Data);
        CrossValidationResult two = new CrossValidation(Path(), Options(relax: true, threads: 2)).Run(SparsityProblem.Network(), Data);
        Assert.Equal(one.Scores.Select(s => s.MeanLoss), two.Scores.Select(s => s.MeanLoss));
        Assert.Equal(one.Model.Parameters.ToArray(), two.Model.Parameters.ToArray());

        // The penalized side of a relaxed run is the plain run.
        Assert.Equal(plain.Scores.Select(s => s.MeanLoss), one.PenalizedScores.Select(s => s.MeanLoss));
    }

    public static TheoryData<string> Optimizers => ["sgd", "momentum", "nesterov+decay", "adam+decay", "adamw"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_relaxed_fit_keeps_the_dropped_inputs_weights_exactly_zero_under_every_optimizer(string optimizer)
    {
        IOptimizer o = optimizer switch
        {
            "sgd" => Optimizer.Sgd(0.05f),
            "momentum" => Optimizer.Sgd(0.05f, momentum: 0.9f),
            "nesterov+decay" => Optimizer.Sgd(0.05f, momentum: 0.9f, nesterov: true, weightDecay: 0.01f),
            "adam+decay" => Optimizer.Adam(0.01f, weightDecay: 0.01f),
            _ => Optimizer.AdamW(0.01f),
        };
        var trainer = new TrainerOptions { Epochs = 5, BatchSize = 20, Seed = 1, Optimizer = o };
        DenseNetwork net = SparsityProblem.Network();
        int[] kept = [0, 1, 5];

        RelaxedFit.Train(net, Data, kept, trainer, CancellationToken.None);

        Assert.Equal(kept, NetworkPruner.Analyze(net).Inputs);
        ReadOnlySpan<float> w = net.GetWeights(0);
        for (int i = 0; i < SparsityProblem.Inputs; i++)
        {
            for (int h = 0; h < 6; h++)
            {
                Assert.True(kept.Contains(i) ? w[(h * SparsityProblem.Inputs) + i] != 0f : w[(h * SparsityProblem.Inputs) + i] == 0f);
            }
        }

        // Full rows and rows with the dropped columns zeroed predict the same.
        var full = new float[Data.Count * SparsityProblem.Classes];
        var masked = new float[Data.Count * SparsityProblem.Classes];
        net.PredictBatch(Data.Features, full);
        net.PredictBatch(RelaxedFit.Mask(Data, kept).Features, masked);
        Assert.Equal(full, masked);
    }
}
