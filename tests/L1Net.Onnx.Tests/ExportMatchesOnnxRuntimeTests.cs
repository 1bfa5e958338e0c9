using L1Net.Seed;

namespace L1Net.Onnx.Tests;

/// <summary>ONNX Runtime, as the oracle, runs every exported shape and must agree with L1Net's Predict/PredictBatch.</summary>
public class ExportMatchesOnnxRuntimeTests
{
    private static readonly Activation[] Hidden = [Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.ReLU];
    private static readonly Activation[] Outputs = [Activation.Identity, Activation.Sigmoid, Activation.Softmax];

    /// <summary>Every hidden activation at every depth 0-3 (each hidden layer may differ), every output activation, with and without preprocessing.</summary>
    public static TheoryData<int, Activation, Activation, int, bool, bool> RandomNetworks()
    {
        var data = new TheoryData<int, Activation, Activation, int, bool, bool>();
        int seed = 0;
        foreach (Activation output in Outputs)
        {
            for (int depth = 0; depth <= 3; depth++)
            {
                foreach (Activation hidden in depth == 0 ? [Activation.Identity] : Hidden)
                {
                    data.Add(seed++, hidden, output, depth, false, false);
                    data.Add(seed++, hidden, output, depth, true, false);
                    data.Add(seed++, hidden, output, depth, true, true);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RandomNetworks))]
    public void Random_network_matches_OnnxRuntime(int seed, Activation hidden, Activation output, int depth, bool standardize, bool select)
    {
        var random = new Random(seed);
        int rawFeatures = random.Next(1, 20);
        int inputs = select ? random.Next(1, rawFeatures + 1) : rawFeatures;
        NetworkBuilder builder = NetworkBuilder.Input(inputs);
        for (int l = 0; l < depth; l++)
        {
            // Hidden layers mix the activation under test with the others, so depth > 1 covers every pair in some case.
            Activation a = l == 0 ? hidden : Hidden[random.Next(Hidden.Length)];
            builder = builder.Dense(random.Next(1, 17), a);
        }

        int classes = output == Activation.Softmax ? random.Next(2, 8) : random.Next(1, 8);
        DenseNetwork network = builder.Dense(classes, output).Build(new GlorotUniformInitializer(seed));
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Span<float> biases = network.GetBiases(l);
            for (int i = 0; i < biases.Length; i++)
            {
                biases[i] = (float)(random.NextDouble() - 0.5);
            }
        }

        int[]? selected = select ? Enumerable.Range(0, rawFeatures).OrderBy(_ => random.Next()).Take(inputs).ToArray() : null;
        float[]? means = standardize ? Enumerable.Range(0, rawFeatures).Select(_ => (float)((random.NextDouble() - 0.5) * 200)).ToArray() : null;
        float[]? scales = standardize ? Enumerable.Range(0, rawFeatures).Select(_ => (float)(0.01 + (random.NextDouble() * 50))).ToArray() : null;

        int rows = 64;
        var raw = new float[rows * rawFeatures];
        for (int i = 0; i < raw.Length; i++)
        {
            int c = i % rawFeatures;
            float z = (float)((random.NextDouble() - 0.5) * 4);
            raw[i] = standardize ? means![c] + (z * scales![c]) : z;
        }

        float[] networkRows = Preprocess(raw, rawFeatures, selected, means, scales);
        byte[] model = OnnxExporter.ExportToArray(network, new OnnxExportOptions
        {
            Means = means,
            Scales = scales,
            SelectedFeatures = selected,
            InputFeatureCount = select ? rawFeatures : null,
        });

        OrtOracle.AssertMatches(network, model, raw, rawFeatures, networkRows);

        // One row at a time too (batch 1 is its own path in both runtimes).
        OrtOracle.AssertMatches(network, model, raw[..rawFeatures], rawFeatures, networkRows[..inputs]);
    }

    [Fact]
    public void Wide_784_256_10_network_matches_OnnxRuntime()
    {
        DenseNetwork network = NetworkBuilder.Input(784).Dense(256, Activation.ReLU).Dense(10, Activation.Softmax).Build(new GlorotUniformInitializer(7));
        var random = new Random(7);
        float[] rows = Enumerable.Range(0, 16 * 784).Select(_ => (float)random.NextDouble()).ToArray();
        OrtOracle.AssertMatches(network, OnnxExporter.ExportToArray(network), rows, 784, rows);
    }

    [Fact]
    public void Seed_model_matches_OnnxRuntime_on_its_rows_and_random_rows()
    {
        // The seed demo's 10-8(tanh)-4(softmax) network, trained as its "L1Net, L1(0.001)" row.
        SeedRows trainRows = SeedData.Train();
        SeedRows testRows = SeedData.Test();
        Dataset train = trainRows.ToDataset();
        Dataset test = testRows.ToDataset();
        SeedRunResult result = SeedRunner.Run(new SeedRun("L1Net, L1(0.001)", GradientRule.True, Regularizer.L1(0.001f)), train, test, reportErrors: false);
        DenseNetwork network = NetworkBuilder.Input(SeedData.InputCount).Dense(SeedRun.HiddenCount, Activation.Tanh).Dense(SeedData.ClassCount, Activation.Softmax).Build();
        result.Parameters.ToArray().CopyTo(network.Parameters);
        Assert.Equal(result.TestAccuracy, Metrics.Accuracy(network, test));

        byte[] model = OnnxExporter.ExportToArray(network, new OnnxExportOptions
        {
            FeatureNames = Enumerable.Range(0, SeedData.InputCount).Select(i => $"x{i}").ToArray(),
            ClassNames = ["c0", "c1", "c2", "c3"],
        });

        float[] rows = [.. train.Features.ToArray(), .. test.Features.ToArray()];
        OrtOracle.AssertMatches(network, model, rows, SeedData.InputCount, rows);

        var random = new Random(16);
        float[] randomRows = Enumerable.Range(0, 100 * SeedData.InputCount).Select(_ => (float)((random.NextDouble() * 20) - 10)).ToArray();
        OrtOracle.AssertMatches(network, model, randomRows, SeedData.InputCount, randomRows);

        // ONNX Runtime's classes give the same test accuracy.
        (_, long[] classes) = OrtOracle.Run(model, test.Features.ToArray(), SeedData.InputCount);
        double accuracy = classes.Select((c, r) => c == test.Labels[r] ? 1d : 0d).Average();
        Assert.Equal(result.TestAccuracy, accuracy, 12);
    }

    [Fact]
    public void Wine_model_with_standardization_matches_OnnxRuntime_on_raw_rows()
    {
        CsvDataset wine = CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "wine.csv"));
        Dataset data = wine.Dataset;
        (float[] means, float[] scales) = Fit(data);
        float[] raw = data.Features.ToArray();
        float[] standardized = Preprocess(raw, data.FeatureCount, null, means, scales);
        Dataset train = Dataset.FromLabels(standardized, data.FeatureCount, data.Labels.ToArray(), data.ClassCount);

        DenseNetwork network = NetworkBuilder.Input(data.FeatureCount).Dense(8, Activation.Tanh).Dense(data.ClassCount, Activation.Softmax).Build(new GlorotUniformInitializer(1));
        new BackPropTrainer(new TrainerOptions { Epochs = 100, LearningRate = 0.1f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 0 }, Regularizer.ProximalL1(0.01f)).Train(network, train);
        Assert.True(Metrics.Accuracy(network, train) > 0.95);

        byte[] model = OnnxExporter.ExportToArray(network, new OnnxExportOptions
        {
            Means = means,
            Scales = scales,
            FeatureNames = wine.FeatureNames,
            ClassNames = ["cultivar 1", "cultivar 2", "cultivar 3"],
        });

        OrtOracle.AssertMatches(network, model, raw, data.FeatureCount, standardized);

        var random = new Random(13);
        float[] randomRaw = Enumerable.Range(0, 100 * data.FeatureCount).Select(i => means[i % data.FeatureCount] + ((float)((random.NextDouble() * 6) - 3) * scales[i % data.FeatureCount])).ToArray();
        OrtOracle.AssertMatches(network, model, randomRaw, data.FeatureCount, Preprocess(randomRaw, data.FeatureCount, null, means, scales));
    }

    [Fact]
    public void Pruned_wine_inputs_are_selected_from_the_raw_columns()
    {
        CsvDataset wine = CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "wine.csv"));
        Dataset data = wine.Dataset;
        (float[] means, float[] scales) = Fit(data);
        int[] kept = [12, 0, 6, 9, 10];
        float[] raw = data.Features.ToArray();
        float[] networkRows = Preprocess(raw, data.FeatureCount, kept, means, scales);
        Dataset train = Dataset.FromLabels(networkRows, kept.Length, data.Labels.ToArray(), data.ClassCount);
        DenseNetwork network = NetworkBuilder.Input(kept.Length).Dense(6, Activation.ReLU).Dense(data.ClassCount, Activation.Softmax).Build(new GlorotUniformInitializer(2));
        new BackPropTrainer(new TrainerOptions { Epochs = 50, LearningRate = 0.05f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 0 }).Train(network, train);

        byte[] model = OnnxExporter.ExportToArray(network, new OnnxExportOptions { Means = means, Scales = scales, SelectedFeatures = kept, FeatureNames = wine.FeatureNames });
        OrtOracle.AssertMatches(network, model, raw, data.FeatureCount, networkRows);
    }

    internal static float[] Preprocess(float[] raw, int rawFeatures, int[]? selected, float[]? means, float[]? scales)
    {
        int rows = raw.Length / rawFeatures;
        int[] columns = selected ?? Enumerable.Range(0, rawFeatures).ToArray();
        var result = new float[rows * columns.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < columns.Length; j++)
            {
                int c = columns[j];
                float v = raw[(r * rawFeatures) + c];
                result[(r * columns.Length) + j] = means is null ? v : (v - means[c]) / scales![c];
            }
        }

        return result;
    }

    private static (float[] Means, float[] Scales) Fit(Dataset data)
    {
        int f = data.FeatureCount;
        var means = new float[f];
        var scales = new float[f];
        for (int c = 0; c < f; c++)
        {
            double sum = 0, squares = 0;
            for (int r = 0; r < data.Count; r++)
            {
                sum += data.GetFeatures(r)[c];
            }

            double mean = sum / data.Count;
            for (int r = 0; r < data.Count; r++)
            {
                double d = data.GetFeatures(r)[c] - mean;
                squares += d * d;
            }

            means[c] = (float)mean;
            scales[c] = (float)Math.Sqrt(squares / data.Count);
        }

        return (means, scales);
    }
}
