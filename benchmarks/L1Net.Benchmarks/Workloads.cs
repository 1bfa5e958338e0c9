
namespace L1Net.Benchmarks;

/// <summary>
/// The workloads of the performance issue, with fixed seeds, shared by the L1Net benchmarks and the TorchSharp peers:
/// (a) the seed network 10-8-4 tanh/softmax, squared error, 200 rows, batch 1;
/// (b) 64-32-10 tanh/softmax cross-entropy, 1797 rows of 64 features (digits-shaped), batch 1 and 32;
/// (c) 784-256-10 ReLU/softmax cross-entropy, 10,000 rows, batch 64 and 256.
/// </summary>
public static class Workloads
{
    /// <summary>The workload names used as benchmark parameters: letter, then the batch size.</summary>
    public static readonly string[] All = ["a-1", "b-1", "b-32", "c-64", "c-256"];

    /// <summary>The regularizer strength used for L1, L2 and both parts of the elastic net.</summary>
    public const float Lambda = 1e-4f;

    /// <summary>Describes a workload by name.</summary>
    public static Workload Get(string name) => name switch
    {
        "a-1" => new Workload(name, [10, 8, 4], Activation.Tanh, LossFunction.SquaredError, 200, 1, 0.01f),
        "b-1" => new Workload(name, [64, 32, 10], Activation.Tanh, LossFunction.CrossEntropy, 1797, 1, 0.01f),
        "b-32" => new Workload(name, [64, 32, 10], Activation.Tanh, LossFunction.CrossEntropy, 1797, 32, 0.05f),
        "c-64" => new Workload(name, [784, 256, 10], Activation.ReLU, LossFunction.CrossEntropy, 10_000, 64, 0.05f),
        "c-256" => new Workload(name, [784, 256, 10], Activation.ReLU, LossFunction.CrossEntropy, 10_000, 256, 0.05f),
        _ => throw new ArgumentException($"Unknown workload '{name}'.", nameof(name)),
    };

    /// <summary>A built-in regularizer by name: None, L1, L2, ElasticNet, ProximalL1 or CumulativeL1.</summary>
    public static IRegularizer Regularizer(string name) => name switch
    {
        "None" => L1Net.Regularization.Regularizer.None,
        "L1" => L1Net.Regularization.Regularizer.L1(Lambda),
        "L2" => L1Net.Regularization.Regularizer.L2(Lambda),
        "ElasticNet" => L1Net.Regularization.Regularizer.ElasticNet(Lambda, Lambda),
        "ProximalL1" => L1Net.Regularization.Regularizer.ProximalL1(Lambda),
        "CumulativeL1" => L1Net.Regularization.Regularizer.CumulativeL1(Lambda),
        _ => throw new ArgumentException($"Unknown regularizer '{name}'.", nameof(name)),
    };
}

/// <summary>One workload: layer sizes (input first), hidden activation, loss, rows, batch size, learning rate.</summary>
public sealed record Workload(string Name, int[] Sizes, Activation Hidden, LossFunction Loss, int Rows, int BatchSize, float LearningRate)
{
    /// <summary>Features row by row (uniform in [0, 1), seed 42) and class labels.</summary>
    public (float[] Features, int[] Labels) MakeData()
    {
        var random = new Random(42);
        int inputs = Sizes[0];
        int classes = Sizes[^1];
        var features = new float[Rows * inputs];
        var labels = new int[Rows];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < inputs; c++)
            {
                features[(r * inputs) + c] = (float)random.NextDouble();
            }

            labels[r] = random.Next(classes);
        }

        return (features, labels);
    }

    /// <summary>The L1Net dataset of <see cref="MakeData"/>.</summary>
    public Dataset MakeDataset()
    {
        (float[] features, int[] labels) = MakeData();
        return Dataset.FromLabels(features, Sizes[0], labels, Sizes[^1]);
    }

    /// <summary>The L1Net network, Glorot-uniform initialised with seed 1.</summary>
    public DenseNetwork MakeNetwork()
    {
        NetworkBuilder builder = NetworkBuilder.Input(Sizes[0]);
        for (int l = 1; l < Sizes.Length - 1; l++)
        {
            builder = builder.Dense(Sizes[l], Hidden);
        }

        return builder.Dense(Sizes[^1], Activation.Softmax).Build(new GlorotUniformInitializer(1));
    }

    /// <summary>Multiply-add operations of one epoch (forward, weight gradient, and input gradient above the first layer).</summary>
    public double FlopsPerEpoch()
    {
        double macs = 0;
        for (int l = 1; l < Sizes.Length; l++)
        {
            macs += (double)Sizes[l - 1] * Sizes[l] * (l == 1 ? 2 : 3);
        }

        return 2 * macs * Rows;
    }
}
