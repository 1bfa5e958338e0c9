using L1Net.Tests.Support;

namespace L1Net.Tests.Networks;

/// <summary>Prediction in blocks (the batched forward product, the GEMM) against one row at a time, and what a call allocates.</summary>
public class PredictionTests
{
    private static DenseNetwork Network(int inputs, int hidden, int outputs) =>
        NetworkBuilder.Input(inputs).Dense(hidden, Activation.ReLU).Dense(hidden / 2 + 1, Activation.Tanh).Dense(outputs, Activation.Softmax).Build(new GlorotUniformInitializer(5));

    private static float[] Rows(int rows, int inputs, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * inputs).Select(_ => (float)random.NextDouble()).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(31)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(301)]
    public void PredictBatch_gives_each_row_the_same_bits_alone_or_in_any_batch(int rows)
    {
        // Every width the machine runs (this test runs under each CI setting); each pre-activation is one multiply-add chain.
        DenseNetwork network = Network(37, 40, 10);
        float[] inputs = Rows(rows, 37, rows);
        var batch = new float[rows * 10];
        network.PredictBatch(inputs, batch);
        var one = new float[10];
        for (int r = 0; r < rows; r++)
        {
            network.PredictBatch(inputs.AsSpan(r * 37, 37), one);
            Floats.AssertBitwiseEqual(one, batch.AsSpan(r * 10, 10), $"row {r} alone");
        }

        // The same rows behind an odd number of others: other blocks, other positions within a block.
        var shifted = new float[(rows + 5) * 37];
        Rows(5, 37, 99).CopyTo(shifted, 0);
        inputs.CopyTo(shifted, 5 * 37);
        var shiftedOut = new float[(rows + 5) * 10];
        network.PredictBatch(shifted, shiftedOut);
        Floats.AssertBitwiseEqual(batch, shiftedOut.AsSpan(50), "rows shifted by five");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(97)]
    [InlineData(301)]
    public void PredictBatch_agrees_with_Predict_within_rounding(int rows)
    {
        // Predict of one row sums each dot product in vector lanes, PredictBatch in one chain per element (the GEMM):
        // the same math, different rounding.
        DenseNetwork network = Network(37, 40, 10);
        float[] inputs = Rows(rows, 37, rows);
        var batch = new float[rows * 10];
        network.PredictBatch(inputs, batch);
        var one = new float[10];
        for (int r = 0; r < rows; r++)
        {
            network.Predict(inputs.AsSpan(r * 37, 37), one);
            for (int o = 0; o < 10; o++)
            {
                Assert.True(MathF.Abs(one[o] - batch[(r * 10) + o]) <= 1e-6f, $"row {r} output {o}: {one[o]} vs {batch[(r * 10) + o]}");
            }
        }
    }

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.ReLU)]
    public void PredictBatch_agrees_with_Predict_through_an_identity_output(Activation hidden)
    {
        // No softmax to compress the hidden layers' differences (rational tanh in the tile against TensorPrimitives.Tanh,
        // one chain against vector partial sums): a regression output reads them through its weights.
        DenseNetwork network = NetworkBuilder.Input(37).Dense(40, hidden).Dense(21, hidden).Dense(3, Activation.Identity).Build(new GlorotUniformInitializer(7));
        const int RowCount = 301;
        var random = new Random(11);
        float[] inputs = Enumerable.Range(0, RowCount * 37).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
        var batch = new float[RowCount * 3];
        network.PredictBatch(inputs, batch);
        var one = new float[3];
        double worst = 0;
        for (int r = 0; r < RowCount; r++)
        {
            network.Predict(inputs.AsSpan(r * 37, 37), one);
            for (int o = 0; o < 3; o++)
            {
                worst = Math.Max(worst, Math.Abs(one[o] - batch[(r * 3) + o]));
            }
        }

        Assert.True(worst <= 1e-6, $"largest difference {worst:R}");
    }

    [Fact]
    public void Metrics_evaluate_in_blocks_as_one_PredictBatch_call()
    {
        DenseNetwork network = Network(12, 20, 3);
        int rows = 600;
        float[] features = Rows(rows, 12, 3);
        int[] labels = Enumerable.Range(0, rows).Select(r => r % 3).ToArray();
        Dataset data = Dataset.FromLabels(features, 12, labels, 3);
        double correct = 0, squared = 0;
        var all = new float[rows * 3];
        network.PredictBatch(features, all);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> o = all.AsSpan(r * 3, 3);
            correct += System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(o) == labels[r] ? 1 : 0;
            double d = System.Numerics.Tensors.TensorPrimitives.Distance<float>(o, data.GetTarget(r));
            squared += d * d;
        }

        Assert.Equal(correct / rows, Metrics.Accuracy(network, data));
        Assert.Equal(squared / rows, Metrics.MeanSquaredError(network, data));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(10_000)]
    public void Prediction_allocates_nothing_per_call(int rows)
    {
        DenseNetwork network = NetworkBuilder.Input(784).Dense(256, Activation.ReLU).Dense(10, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        float[] inputs = Rows(rows, 784, 1);
        var outputs = new float[rows * 10];
        void Call()
        {
            if (rows == 1)
            {
                network.Predict(inputs, outputs);
            }
            else
            {
                network.PredictBatch(inputs, outputs);
            }
        }

        // A 10,000-row call runs its inner methods hundreds of times, so two calls warm them; it takes up to a second scalar.
        AssertAllocatesNothingPerCall(Call, warmUp: rows >= 10_000 ? 2 : 40, perWindow: rows >= 10_000 ? 1 : 4);
    }

    [Fact]
    public void Metrics_allocate_nothing_per_call()
    {
        DenseNetwork network = Network(30, 64, 4);
        float[] features = Rows(1000, 30, 9);
        int[] labels = Enumerable.Range(0, 1000).Select(r => r % 4).ToArray();
        Dataset data = Dataset.FromLabels(features, 30, labels, 4);
        AssertAllocatesNothingPerCall(() =>
        {
            Metrics.Accuracy(network, data);
            Metrics.CrossEntropy(network, data);
        });
    }

    /// <summary>
    /// Asserts that <paramref name="call"/> allocates nothing per call: after warm-up, some window of calls allocates 0 bytes
    /// on this thread. One-time runtime work (a method's tier-up or on-stack replacement, compiled on the calling thread, and
    /// the class initialisation it can trigger) may land in one window, as seen once under <c>DOTNET_EnableAVX=0</c>; an
    /// allocation made by every call shows in every window, so the test still fails for it.
    /// </summary>
    private static void AssertAllocatesNothingPerCall(Action call, int warmUp = 40, int perWindow = 4)
    {
        for (int i = 0; i < warmUp; i++)
        {
            call();
        }

        var windows = new List<long>();
        for (int w = 0; w < 5; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < perWindow; i++)
            {
                call();
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0)
            {
                return;
            }

            windows.Add(allocated);
        }

        Assert.Fail($"Every window of {perWindow} calls allocated: {string.Join(", ", windows)} bytes.");
    }
}
