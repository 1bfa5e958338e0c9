using L1Net.Tests.Regularization;

namespace L1Net.Tests.Selection;

public class EarlyStoppingTests
{
    // A small, noisy training set overfits: the validation loss turns up while the training loss keeps falling.
    private static readonly Dataset Train = Noisy(SparsityProblem.Create(40, 11), flipEvery: 4);
    private static readonly Dataset Validation = SparsityProblem.Create(400, 12);

    [Fact]
    public void Stops_when_the_validation_loss_stops_improving_and_restores_the_best_epoch()
    {
        DenseNetwork net = SparsityProblem.Network(hidden: 16);
        var options = Options(300, new EarlyStoppingOptions { Validation = Validation, Patience = 5 });
        TrainingResult result = new BackPropTrainer(options).Train(net, Train);

        Assert.Equal(TrainingStopReason.EarlyStopped, result.StopReason);
        Assert.Equal(result.BestEpoch + 5, result.EpochsCompleted);
        Assert.Equal(Metrics.CrossEntropy(net, Validation), result.BestValidationLoss, 6);

        // The restored parameters are exactly those after BestEpoch epochs of the same training.
        DenseNetwork reference = SparsityProblem.Network(hidden: 16);
        TrainingResult referenceResult = new BackPropTrainer(Options(result.BestEpoch, null)).Train(reference, Train);
        Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());

        // Steps counts the steps the network holds: up to the best epoch, not the epochs run after it.
        Assert.True(result.BestEpoch < result.EpochsCompleted);
        Assert.Equal(referenceResult.Steps, result.Steps);
        Assert.Equal((long)result.BestEpoch * Train.Count, result.Steps);
        Assert.Equal(result.Steps, result.Final.Steps);
        Assert.Equal(result.EpochsCompleted, result.StopEpoch);
    }

    [Fact]
    public void When_patience_never_runs_out_every_epoch_runs_and_the_best_parameters_are_kept()
    {
        DenseNetwork net = SparsityProblem.Network(hidden: 16);
        TrainingResult result = new BackPropTrainer(Options(60, new EarlyStoppingOptions { Validation = Validation, Patience = 1000, CheckInterval = 3 })).Train(net, Train);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(0, result.BestEpoch % 3);
        Assert.Equal(Metrics.CrossEntropy(net, Validation), result.BestValidationLoss, 6);

        // The best parameters are kept, so Steps counts up to the best epoch; StopEpoch is the last epoch run.
        Assert.True(result.BestEpoch < 60, $"best epoch {result.BestEpoch}");
        Assert.Equal((long)result.BestEpoch * Train.Count, result.Steps);
        Assert.Equal(60, result.StopEpoch);
        Assert.Equal(Train.Count, result.StopStep);
    }

    [Fact]
    public void Without_early_stopping_the_result_says_so()
    {
        TrainingResult result = new BackPropTrainer(Options(2, null)).Train(SparsityProblem.Network(), Train);
        Assert.Equal(0, result.BestEpoch);
        Assert.True(double.IsNaN(result.BestValidationLoss));
    }

    [Theory]
    [InlineData(0, 0.0, 1, "Patience")]
    [InlineData(1, -1.0, 1, "Tolerance")]
    [InlineData(1, double.NaN, 1, "Tolerance")]
    [InlineData(1, 0.0, 0, "CheckInterval")]
    public void Bad_options_are_rejected_when_the_trainer_is_created(int patience, double tolerance, int interval, string name)
    {
        var stopping = new EarlyStoppingOptions { Validation = Validation, Patience = patience, Tolerance = tolerance, CheckInterval = interval };
        Assert.Throws<ArgumentOutOfRangeException>(name, () => new BackPropTrainer(Options(10, stopping)));
    }

    [Fact]
    public void A_missing_validation_set_is_rejected() =>
        Assert.Throws<ArgumentException>("Validation", () => new BackPropTrainer(Options(10, new EarlyStoppingOptions { Validation = null! })));

    [Fact]
    public void A_validation_set_of_another_shape_is_rejected_and_the_network_is_unchanged()
    {
        Dataset wrong = Dataset.FromLabels(new float[,] { { 1, 2 }, { 3, 4 } }, [0, 1], 2);
        DenseNetwork net = SparsityProblem.Network();
        float[] before = net.Parameters.ToArray();

        Assert.Throws<ArgumentException>("data", () => new BackPropTrainer(Options(10, new EarlyStoppingOptions { Validation = wrong })).Train(net, Train));
        Assert.Equal(before, net.Parameters.ToArray());
    }

    private static TrainerOptions Options(int epochs, EarlyStoppingOptions? stopping) =>
        new() { Epochs = epochs, LearningRate = 0.1f, Seed = 1, EarlyStopping = stopping };

    private static Dataset Noisy(Dataset data, int flipEvery)
    {
        int[] labels = data.Labels.ToArray();
        for (int r = 0; r < labels.Length; r += flipEvery)
        {
            labels[r] = (labels[r] + 1) % data.ClassCount;
        }

        return Dataset.FromLabels(data.Features, data.FeatureCount, labels, data.ClassCount);
    }
}
