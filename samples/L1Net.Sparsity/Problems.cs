using L1Net.Activations;
using L1Net.Data;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Training;

namespace L1Net.Sparsity;

/// <summary>One data set of the sample's experiments, with the network and training settings used on it.</summary>
/// <param name="Name">Short name for the tables.</param>
/// <param name="Data">The rows CV and the final training may use.</param>
/// <param name="Test">Rows CV never sees, for the test accuracy; null when the experiment makes its own outer folds.</param>
/// <param name="Hidden">Hidden tanh units.</param>
/// <param name="Trainer">How every training runs.</param>
/// <param name="NoiseInputs">The inputs known to be irrelevant (the last ones); 0 for real data.</param>
internal sealed record Problem(string Name, Dataset Data, Dataset? Test, int Hidden, TrainerOptions Trainer, int NoiseInputs = 0)
{
    /// <summary>The initial network of every training: Glorot uniform, seed 1.</summary>
    public DenseNetwork Initial() =>
        NetworkBuilder.Input(Data.FeatureCount).Dense(Hidden, Activation.Tanh).Dense(Data.ClassCount, Activation.Softmax)
            .Build(new GlorotUniformInitializer(seed: 1));

    /// <summary>The network's shape, e.g. <c>13-8(tanh)-3(softmax)</c>.</summary>
    public string Shape => $"{Data.FeatureCount}-{Hidden}(tanh)-{Data.ClassCount}(softmax)";

    /// <summary>Wine: 178 rows, 13-8-3, 200 epochs, batch 8, rate 0.1.</summary>
    public static Problem Wine() => new("wine", NestedWine.Csv.Dataset, null, 8, new TrainerOptions { Epochs = 200, LearningRate = 0.1f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 0 });

    /// <summary>Iris: 150 rows, 4-8-3, 200 epochs, batch 8, rate 0.1.</summary>
    public static Problem Iris() => new("iris", Load("iris.csv"), null, 8, new TrainerOptions { Epochs = 200, LearningRate = 0.1f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 0 });

    /// <summary>The synthetic 10-class set: 1,000 training rows and 4,000 independent test rows of <see cref="SyntheticData.TenClass60"/>, 60-16-10, 60 epochs, batch 16, rate 0.1.</summary>
    public static Problem Synthetic()
    {
        SyntheticData problem = SyntheticData.TenClass60();
        return new("synthetic", problem.Sample(1000, seed: 1), problem.Sample(4000, seed: 2), 16,
            new TrainerOptions { Epochs = 60, LearningRate = 0.1f, BatchSize = 16, Loss = LossFunction.CrossEntropy, Seed = 0 }, problem.Noise);
    }

    /// <summary>
    /// The acceptance run's pool for a synthetic 10-class, 60-input problem (<see cref="SyntheticData.TenClass60"/> with the
    /// given centres seed): 1,250 rows (sample seed 1), so each 5-fold outer split trains on 1,000 and tests 250. Network and
    /// trainer as <see cref="Synthetic"/>.
    /// </summary>
    public static Problem SyntheticPool(ulong centresSeed = 2026)
    {
        SyntheticData problem = SyntheticData.TenClass60(centresSeed);
        return new(centresSeed == 2026 ? "synthetic" : $"synthetic (centres seed {centresSeed}, held out)", problem.Sample(1250, seed: 1), null, 16,
            new TrainerOptions { Epochs = 60, LearningRate = 0.1f, BatchSize = 16, Loss = LossFunction.CrossEntropy, Seed = 0 }, problem.Noise);
    }

    /// <summary>Loads a CSV shipped in the sample's data folder.</summary>
    public static Dataset Load(string file) => CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", file)).Dataset;

    /// <summary>First-layer weights from the irrelevant inputs (the last <see cref="NoiseInputs"/>): how many, and how many exactly zero.</summary>
    public (int Zero, int Count) NoiseWeights(INetwork network)
    {
        ReadOnlySpan<float> w = network.GetWeights(0);
        int inputs = network.InputSize;
        int zero = 0, count = 0;
        for (int o = 0; o < network.Layers[0].OutputSize; o++)
        {
            for (int i = inputs - NoiseInputs; i < inputs; i++)
            {
                count++;
                zero += w[(o * inputs) + i] == 0f ? 1 : 0;
            }
        }

        return (zero, count);
    }
}
