namespace L1Net.Tests.Training;

/// <summary>Runs alone, so that no other test shares the processors with the worker threads it measures.</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection
{
}

/// <summary>Training allocates per call (buffers, worker threads), never per epoch: more epochs, same bytes.</summary>
[Collection(nameof(AllocationCollection))]
public class WorkerAllocationTests
{
    public static TheoryData<int, int, int, int, string> Workloads() => new()
    {
        // inputs, hidden, classes, batch, regularizer
        { 10, 8, 4, 1, "None" },
        { 10, 8, 4, 1, "ElasticNet" },
        { 64, 32, 10, 32, "L1" },
        { 10, 8, 4, 1, "Custom" },
        { 10, 8, 4, 5, "Custom" },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Epochs_allocate_nothing_on_the_training_thread(int inputs, int hidden, int classes, int batch, string regularizer)
    {
        Dataset data = FastPathTests.RandomData(200, inputs, classes, seed: 1);
        long Allocated(int epochs)
        {
            DenseNetwork network = NetworkBuilder.Input(inputs).Dense(hidden, Activation.Tanh).Dense(classes, Activation.Softmax).Build(new GlorotUniformInitializer(1));
            var trainer = new BackPropTrainer(new TrainerOptions { Epochs = epochs, BatchSize = batch, ReportInterval = 1000, MaxDegreeOfParallelism = 1 }, Make(regularizer));
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Train(network, data);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(1);
        var attempts = new List<string>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long one = Allocated(1), six = Allocated(6);
            if (one == six)
            {
                return;
            }

            attempts.Add($"1 epoch {one} bytes, 6 epochs {six} bytes");
        }

        Assert.Fail("More epochs allocated more (runtime noise would show in one attempt, not all three): " + string.Join("; ", attempts));
    }

    [Fact]
    public void Epochs_allocate_nothing_on_any_thread_with_two_workers()
    {
        // Above the parallel threshold: the step is split between the calling thread and a persistent worker. Both are
        // counted exactly: the calling thread directly, the worker by its own count when it exits at the end of Train.
        Dataset data = FastPathTests.RandomData(256, 120, 10, seed: 2);
        (long Caller, long Workers) Allocated(int epochs)
        {
            DenseNetwork network = NetworkBuilder.Input(120).Dense(160, Activation.ReLU).Dense(10, Activation.Softmax).Build(new GlorotUniformInitializer(1));
            var trainer = new BackPropTrainer(new TrainerOptions { Epochs = epochs, BatchSize = 64, ReportInterval = 1000, MaxDegreeOfParallelism = 2 }, Regularizer.L1(0.001f));
            long workers = WorkerPool.WorkerAllocatedBytes;
            long caller = GC.GetAllocatedBytesForCurrentThread();
            trainer.Train(network, data);
            return (GC.GetAllocatedBytesForCurrentThread() - caller, WorkerPool.WorkerAllocatedBytes - workers);
        }

        // Warm up until tiered compilation has settled (re-compiling a method may allocate a little, once).
        for (int warm = 0; warm < 4; warm++)
        {
            Allocated(8);
        }

        // A per-epoch allocation shows in every attempt; the runtime swapping in re-jitted code late on a loaded machine
        // can allocate once. So some attempt out of three must see exactly equal counts; the message lists them all.
        var attempts = new List<string>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long started = WorkerPool.WorkersStarted;
            (long caller8, long workers8) = Allocated(8);
            (long caller16, long workers16) = Allocated(16);
            Assert.True(Environment.ProcessorCount < 2 || WorkerPool.WorkersStarted - started == 2, "each training call should have run one worker thread");
            if (caller8 == caller16 && workers8 == workers16)
            {
                return;
            }

            attempts.Add($"caller {caller8} vs {caller16} bytes, workers {workers8} vs {workers16} bytes for 8 vs 16 epochs");
        }

        Assert.Fail(string.Join("; ", attempts));
    }

    private static IRegularizer Make(string name) => name switch
    {
        "L1" => Regularizer.L1(0.001f),
        "ElasticNet" => Regularizer.ElasticNet(0.001f, 0.001f),
        "Custom" => new HalfL2(),
        _ => Regularizer.None,
    };

    private sealed class HalfL2 : IRegularizer
    {
        public string Name => "HalfL2";

        public double Penalty(ReadOnlySpan<float> weights, ParameterShape shape) => 0;

        public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient, ParameterShape shape)
        {
            for (int i = 0; i < weights.Length; i++)
            {
                gradient[i] += 0.0005f * weights[i];
            }
        }
    }
}
