using L1Net.Tests.Support;
namespace L1Net.Tests.Reliability;

/// <summary>
/// Cancellation is honoured between steps: afterwards the network holds exactly the parameters of the last completed step,
/// checked by replaying the same steps without cancellation (full epochs, then a partial epoch as a one-epoch run on the
/// rows that epoch had visited) and comparing bit for bit.
/// </summary>
public class CancellationTests
{
    private const int Rows = 12;

    private static TrainerOptions Sequential(int epochs, int batchSize = 1) => new()
    {
        Epochs = epochs,
        LearningRate = 0.2f,
        BatchSize = batchSize,
        SampleOrder = SequentialSampleOrder.Instance,
        ReportInterval = 1,
    };

    /// <summary>A fresh network trained for <paramref name="epochs"/> whole epochs and then <paramref name="steps"/> steps of the next one.</summary>
    private static DenseNetwork Replay(Dataset data, IRegularizer regularizer, int epochs, int steps, int batchSize)
    {
        DenseNetwork network = Fixtures.Network();
        if (epochs > 0)
        {
            Assert.True(new BackPropTrainer(Sequential(epochs, batchSize), regularizer).Train(network, data).Completed);
        }

        if (steps > 0)
        {
            int[] rows = Enumerable.Range(0, Math.Min(steps * batchSize, data.Count)).ToArray();
            Assert.True(new BackPropTrainer(Sequential(1, batchSize), regularizer).Train(network, data.Subset(rows)).Completed);
        }

        return network;
    }

    [Fact]
    public void A_token_cancelled_before_the_call_takes_no_step_and_changes_nothing()
    {
        DenseNetwork network = Fixtures.Network();
        uint[] before = Fixtures.Bits(network);
        int arranged = 0;
        var order = new HookedSampleOrder(new ShuffledSampleOrder(1), (_, _) => arranged++);
        var logger = new CapturingLogger();

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 3, SampleOrder = order }, logger: logger)
            .Train(network, Fixtures.Data(), cancellationToken: new CancellationToken(canceled: true));

        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(0, result.Steps);
        Assert.Equal(0, result.EpochsCompleted);
        Assert.Equal(1, result.StopEpoch);
        Assert.Equal(0, result.StopStep);
        Assert.Equal(0, arranged);
        Fixtures.AssertBitIdentical(before, network);
        Assert.Single(logger.Records, e => e.EventId.Id == 4);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(1, 1)]
    [InlineData(1, 12)]
    [InlineData(5, 2)]
    [InlineData(5, 3)]
    public void A_token_cancelled_by_the_regularizer_mid_epoch_keeps_exactly_the_completed_steps(int batchSize, int stepInEpoch3)
    {
        // Cancel during layer 0's update of step `stepInEpoch3` of epoch 3: that step still completes (both layers), the
        // next one is not taken.
        Dataset data = Fixtures.Data(Rows);
        int stepsPerEpoch = (Rows + batchSize - 1) / batchSize;
        int cancelCall = (2 * ((2 * stepsPerEpoch) + stepInEpoch3 - 1)) + 1;
        using var source = new CancellationTokenSource();
        var regularizer = new HookedRegularizer(Regularizer.L1(1e-3f), call =>
        {
            if (call == cancelCall)
            {
                source.Cancel();
            }
        });
        DenseNetwork network = Fixtures.Network();

        TrainingResult result = new BackPropTrainer(Sequential(5, batchSize), regularizer).Train(network, data, cancellationToken: source.Token);

        bool lastStep = stepInEpoch3 == stepsPerEpoch;
        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal((2 * stepsPerEpoch) + stepInEpoch3, result.Steps);
        Assert.Equal(lastStep ? 3 : 2, result.EpochsCompleted);
        Assert.Equal(lastStep ? 4 : 3, result.StopEpoch);
        Assert.Equal(lastStep ? 0 : stepInEpoch3, result.StopStep);
        Assert.Equal(result.Steps, result.Final.Steps);

        // The replay goes through the same (custom-regularizer) code path: fused and general paths may round differently.
        DenseNetwork replay = Replay(data, new HookedRegularizer(Regularizer.L1(1e-3f), _ => { }), 2, stepInEpoch3, batchSize);
        Fixtures.AssertBitIdentical(Fixtures.Bits(replay), network);
    }

    [Fact]
    public void A_token_cancelled_from_the_progress_callback_stops_before_the_next_epoch()
    {
        Dataset data = Fixtures.Data(Rows);
        using var source = new CancellationTokenSource();
        var reports = new List<EpochReport>();
        var progress = new SyncProgress(r =>
        {
            reports.Add(r);
            if (r.Epoch == 2)
            {
                source.Cancel();
            }
        });
        DenseNetwork network = Fixtures.Network();

        TrainingResult result = new BackPropTrainer(Sequential(6)).Train(network, data, progress, source.Token);

        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(2, result.EpochsCompleted);
        Assert.Equal(2 * Rows, result.Steps);
        Assert.Equal(3, result.StopEpoch);
        Assert.Equal(0, result.StopStep);
        Assert.Equal(2, reports.Count);
        Fixtures.AssertBitIdentical(Fixtures.Bits(Replay(data, Regularizer.None, 2, 0, 1)), network);
    }

    [Fact]
    public void A_token_cancelled_by_the_sample_order_stops_before_that_epochs_first_step()
    {
        Dataset data = Fixtures.Data(Rows);
        using var source = new CancellationTokenSource();
        var order = new HookedSampleOrder(SequentialSampleOrder.Instance, (epoch, _) =>
        {
            if (epoch == 3)
            {
                source.Cancel();
            }
        });
        DenseNetwork network = Fixtures.Network();
        var options = new TrainerOptions { Epochs = 6, LearningRate = 0.2f, SampleOrder = order };

        TrainingResult result = new BackPropTrainer(options).Train(network, data, cancellationToken: source.Token);

        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(2, result.EpochsCompleted);
        Assert.Equal(3, result.StopEpoch);
        Assert.Equal(0, result.StopStep);
        Assert.Equal(2 * Rows, result.Steps);
        Fixtures.AssertBitIdentical(Fixtures.Bits(Replay(data, Regularizer.None, 2, 0, 1)), network);
    }

    [Fact]
    public async Task A_token_cancelled_from_another_thread_leaves_a_consistent_network()
    {
        // The other thread cancels while training is blocked inside a step (in the output-error rule); the step completes
        // and training stops before the next one.
        Dataset data = Fixtures.Data(Rows);
        using var source = new CancellationTokenSource();
        using var inStep = new ManualResetEventSlim();
        using var cancelled = new ManualResetEventSlim();
        var rule = new BlockingOutputRule(blockAt: 30, inStep, cancelled);
        DenseNetwork network = Fixtures.Network();
        var options = new TrainerOptions { Epochs = 5, LearningRate = 0.2f, SampleOrder = SequentialSampleOrder.Instance, OutputErrorRule = rule };

        Task<TrainingResult> training = Task.Run(() => new BackPropTrainer(options).Train(network, data, cancellationToken: source.Token));
        Assert.True(inStep.Wait(TimeSpan.FromMinutes(1)), "training never reached the blocking step");
        source.Cancel();
        cancelled.Set();
        TrainingResult result = await training;

        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(30, result.Steps);
        Assert.Equal(3, result.StopEpoch);
        Assert.Equal(6, result.StopStep);
        Fixtures.AssertBitIdentical(Fixtures.Bits(Replay(data, Regularizer.None, 2, 6, 1)), network);
    }

    private sealed class BlockingOutputRule(int blockAt, ManualResetEventSlim reached, ManualResetEventSlim release) : IOutputErrorRule
    {
        private int _calls;

        public void ComputeOutputError(ReadOnlySpan<float> output, ReadOnlySpan<float> target, Span<float> error)
        {
            if (++_calls == blockAt)
            {
                reached.Set();
                Assert.True(release.Wait(TimeSpan.FromMinutes(1)), "never released");
            }

            for (int k = 0; k < error.Length; k++)
            {
                error[k] = output[k] - target[k];
            }
        }
    }
}
