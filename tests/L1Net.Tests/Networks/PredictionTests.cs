using L1Net.Tests.Support;

namespace L1Net.Tests.Networks;

/// <summary>Prediction in blocks (the batched forward product) against one row at a time, and what a call allocates.</summary>
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
    [InlineData(95)]
    [InlineData(96)]
    [InlineData(97)]
    [InlineData(301)]
    public void PredictBatch_gives_the_bits_of_Predict_row_by_row(int rows)
    {
        DenseNetwork network = Network(37, 40, 10);
        float[] inputs = Rows(rows, 37, rows);
        var batch = new float[rows * 10];
        network.PredictBatch(inputs, batch);
        var one = new float[10];
        for (int r = 0; r < rows; r++)
        {
            network.Predict(inputs.AsSpan(r * 37, 37), one);
            Floats.AssertBitwiseEqual(one, batch.AsSpan(r * 10, 10), $"row {r}");
        }
    }

    [Fact]
    public void Metrics_evaluate_in_blocks_as_row_by_row_prediction()
    {
        DenseNetwork network = Network(12, 20, 3);
        int rows = 600;
        float[] features = Rows(rows, 12, 3);
        int[] labels = Enumerable.Range(0, rows).Select(r => r % 3).ToArray();
        Dataset data = Dataset.FromLabels(features, 12, labels, 3);
        double correct = 0, squared = 0;
        var o = new float[3];
        for (int r = 0; r < rows; r++)
        {
            network.Predict(data.GetFeatures(r), o);
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

        Call();
        Call();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Call();
        Call();
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }

    [Fact]
    public void Metrics_allocate_nothing_per_call()
    {
        DenseNetwork network = Network(30, 64, 4);
        float[] features = Rows(1000, 30, 9);
        int[] labels = Enumerable.Range(0, 1000).Select(r => r % 4).ToArray();
        Dataset data = Dataset.FromLabels(features, 30, labels, 4);
        Metrics.Accuracy(network, data);
        Metrics.CrossEntropy(network, data);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Metrics.Accuracy(network, data);
        Metrics.CrossEntropy(network, data);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }
}
