using L1Net.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L1Net.Tests.Training;

/// <summary>
/// A training epoch allocates nothing once warm: on a warmed trainer, Train with 2E epochs allocates exactly as many
/// bytes on the training thread as Train with E epochs (the per-call setup is the same; the E extra epochs add 0 bytes).
/// What is measured is the <c>Train</c> call alone: without a progress callback or logger a completed run does not
/// evaluate the network at its end (<see cref="TrainingResult.Final"/> is computed on its first read, which these tests
/// do not do; that read is measured by <see cref="Reading_a_deferred_Final_allocates_nothing_once_warm"/>); with the
/// progress hook every epoch is evaluated inside <c>Train</c> and the last report becomes <c>Final</c>.
/// </summary>
public class AllocationTests
{
    public enum Hook
    {
        /// <summary>No logger, no progress.</summary>
        None,

        /// <summary>NullLogger.Instance.</summary>
        NullLogger,

        /// <summary>A progress callback every epoch (an evaluation pass per epoch).</summary>
        Progress,
    }

    public static TheoryData<int, float, RegKind, Hook> Cases()
    {
        var data = new TheoryData<int, float, RegKind, Hook>();
        foreach ((int batch, float momentum) in new[] { (1, 0f), (16, 0f), (1, 0.9f), (16, 0.9f) })
        {
            foreach (RegKind reg in Enum.GetValues<RegKind>())
            {
                data.Add(batch, momentum, reg, Hook.None);
            }

            data.Add(batch, momentum, RegKind.ElasticNet, Hook.NullLogger);
            data.Add(batch, momentum, RegKind.L1, Hook.Progress);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_epochs_allocate_nothing_after_warm_up(int batchSize, float momentum, RegKind reg, Hook hook)
    {
        const int epochs = 5;
        Dataset data = RandomProblems.Classification(31, rows: 50, features: 10, classes: 4);
        DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        IRegularizer regularizer = RegSpec.Of(reg, l1: 1e-4f, l2: 1e-3f).Create();
        ILogger? logger = hook == Hook.NullLogger ? NullLogger.Instance : null;
        IProgress<EpochReport>? progress = hook == Hook.Progress ? new LastReport() : null;
        BackPropTrainer Trainer(int e) => new(new TrainerOptions { Epochs = e, LearningRate = 0.01f, BatchSize = batchSize, Momentum = momentum, ReportInterval = 1 }, regularizer, logger);
        AssertNoAllocationPerEpoch(Trainer(epochs), Trainer(2 * epochs), network, data, progress, epochs);
    }

    public static TheoryData<int, string, string> OptimizerCases()
    {
        var data = new TheoryData<int, string, string>();
        foreach (int batch in new[] { 1, 16 })
        {
            foreach (string optimizer in new[] { "Nesterov", "Dampened", "Adam", "AdamW" })
            {
                foreach (string reg in new[] { "L1", "ProximalL1", "CumulativeL1" })
                {
                    data.Add(batch, optimizer, reg);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OptimizerCases))]
    public void Training_epochs_allocate_nothing_after_warm_up_with_every_optimizer(int batchSize, string optimizer, string reg)
    {
        const int epochs = 5;
        Dataset data = RandomProblems.Classification(31, rows: 50, features: 10, classes: 4);
        DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        IRegularizer regularizer = reg switch
        {
            "L1" => Regularizer.L1(1e-4f),
            "ProximalL1" => Regularizer.ProximalL1(1e-4f),
            _ => Regularizer.CumulativeL1(1e-4f),
        };
        IOptimizer o = optimizer switch
        {
            "Nesterov" => Optimizer.Sgd(0.01f, momentum: 0.9f, nesterov: true, weightDecay: 1e-4f),
            "Dampened" => Optimizer.Sgd(0.01f, momentum: 0.9f, dampening: 0.5f),
            "Adam" => Optimizer.Adam(weightDecay: 1e-4f),
            _ => Optimizer.AdamW(),
        };
        BackPropTrainer Trainer(int e) => new(new TrainerOptions { Epochs = e, BatchSize = batchSize, Optimizer = o }, regularizer);
        AssertNoAllocationPerEpoch(Trainer(epochs), Trainer(2 * epochs), network, data, null, epochs);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(16, true)]
    public void Training_epochs_allocate_nothing_after_warm_up_with_a_user_regularizer_adding_its_gradient(int batchSize, bool regularizeBiases)
    {
        // Per sample under plain SGD this is the fused sweep with the AddGradient part computed first (into the gradient
        // buffer): no buffer of its own, nothing per step.
        const int epochs = 5;
        Dataset data = RandomProblems.Classification(31, rows: 50, features: 10, classes: 4);
        DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        var regularizer = new AddedL1(1e-4f);
        BackPropTrainer Trainer(int e) => new(new TrainerOptions { Epochs = e, LearningRate = 0.01f, BatchSize = batchSize, RegularizeBiases = regularizeBiases }, regularizer);
        AssertNoAllocationPerEpoch(Trainer(epochs), Trainer(2 * epochs), network, data, null, epochs);
    }

    private static void AssertNoAllocationPerEpoch(BackPropTrainer shortRun, BackPropTrainer longRun, DenseNetwork network, Dataset data, IProgress<EpochReport>? progress, int epochs)
    {
        for (int i = 0; i < 3; i++)
        {
            shortRun.Train(network, data, progress);
            longRun.Train(network, data, progress);
        }

        // A per-epoch allocation shows in every attempt. The runtime itself can allocate once on this thread while it swaps
        // in re-jitted (tier-1) code, which happens late on a loaded machine; so the claim is that some attempt out of three
        // sees exactly zero extra bytes, and the message reports every attempt.
        var attempts = new List<string>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long start = GC.GetAllocatedBytesForCurrentThread();
            shortRun.Train(network, data, progress);
            long middle = GC.GetAllocatedBytesForCurrentThread();
            longRun.Train(network, data, progress);
            long end = GC.GetAllocatedBytesForCurrentThread();

            long perCall = middle - start;
            long extraEpochs = (end - middle) - perCall;
            Assert.True(perCall > 0, "The measurement saw no allocation at all, not even the per-call setup.");
            if (extraEpochs == 0)
            {
                return;
            }

            attempts.Add($"{epochs} extra epochs allocated {extraEpochs} bytes (a call with {epochs} epochs allocates {perCall})");
        }

        Assert.Fail(string.Join("; ", attempts));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void Reading_a_deferred_Final_allocates_nothing_once_warm(int batchSize)
    {
        Dataset data = RandomProblems.Classification(31, rows: 300, features: 10, classes: 4);
        DenseNetwork network = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 1, LearningRate = 0.01f, BatchSize = batchSize }, Regularizer.L1(1e-4f));
        for (int i = 0; i < 3; i++)
        {
            Assert.True(double.IsFinite(trainer.Train(network, data).Final.Loss));
        }

        var attempts = new List<long>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            TrainingResult result = trainer.Train(network, data);
            Assert.False(result.FinalEvaluated);
            long start = GC.GetAllocatedBytesForCurrentThread();
            double loss = result.Final.Loss;
            long bytes = GC.GetAllocatedBytesForCurrentThread() - start;
            Assert.True(double.IsFinite(loss));
            if (bytes == 0)
            {
                return;
            }

            attempts.Add(bytes);
        }

        Assert.Fail($"Reading Final allocated {string.Join(", ", attempts)} bytes");
    }

    [Fact]
    public void The_measurement_sees_an_allocation_per_epoch()
    {
        // Guards the method above: a progress callback that allocates once per epoch must show up as extra bytes.
        Dataset data = RandomProblems.Classification(32, rows: 20, features: 10, classes: 4);
        DenseNetwork network = NetworkBuilder.Input(10).Dense(4, Activation.Softmax).Build();
        var progress = new AllocatingProgress();
        var shortRun = new BackPropTrainer(new TrainerOptions { Epochs = 5, ReportInterval = 1 });
        var longRun = new BackPropTrainer(new TrainerOptions { Epochs = 10, ReportInterval = 1 });
        shortRun.Train(network, data, progress);
        longRun.Train(network, data, progress);

        long start = GC.GetAllocatedBytesForCurrentThread();
        shortRun.Train(network, data, progress);
        long middle = GC.GetAllocatedBytesForCurrentThread();
        longRun.Train(network, data, progress);
        long end = GC.GetAllocatedBytesForCurrentThread();

        Assert.True((end - middle) - (middle - start) >= 5 * 24, "Five extra epochs with an allocating callback were not measured.");
        Assert.Equal(2 * (5 + 10), progress.Reports.Count);
    }

    private sealed class AllocatingProgress : IProgress<EpochReport>
    {
        public List<object> Reports { get; } = new(capacity: 100);

        public void Report(EpochReport value) => Reports.Add(value);
    }

    private sealed class LastReport : IProgress<EpochReport>
    {
        public EpochReport Last { get; private set; }

        public void Report(EpochReport value) => Last = value;
    }
}
