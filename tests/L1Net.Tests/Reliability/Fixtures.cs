using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace L1Net.Tests.Reliability;

/// <summary>Small networks, data sets and state fingerprints shared by the reliability tests.</summary>
internal static class Fixtures
{
    /// <summary>A 3-4(tanh)-3(softmax) network with Glorot weights.</summary>
    public static DenseNetwork Network(int inputs = 3, int hidden = 4, int classes = 3, int seed = 1) =>
        NetworkBuilder.Input(inputs).Dense(hidden, Activation.Tanh).Dense(classes, Activation.Softmax).Build(new GlorotUniformInitializer(seed));

    /// <summary>Random features in [-1, 1), labels depending on the features (learnable).</summary>
    public static Dataset Data(int rows = 12, int inputs = 3, int classes = 3, int seed = 2)
    {
        var random = new Random(seed);
        var features = new float[rows, inputs];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            float sum = 0f;
            for (int c = 0; c < inputs; c++)
            {
                features[r, c] = (float)((random.NextDouble() * 2) - 1);
                sum += features[r, c] * (c + 1);
            }

            labels[r] = (int)((uint)BitConverter.SingleToInt32Bits(sum) % (uint)classes);
        }

        return Dataset.FromLabels(features, labels, classes);
    }

    /// <summary>The raw bits of every parameter.</summary>
    public static uint[] Bits(INetwork network) => MemoryMarshal.Cast<float, uint>(network.Parameters).ToArray();

    /// <summary>A hash of the network's parameter bits and shape: equal exactly when nothing changed.</summary>
    public static string Fingerprint(INetwork network)
    {
        byte[] bytes = MemoryMarshal.AsBytes(network.Parameters).ToArray();
        return $"{network}:{Convert.ToHexString(SHA256.HashData(bytes))}";
    }

    /// <summary>A hash of a data set's contents.</summary>
    public static string Fingerprint(Dataset data)
    {
        byte[] features = MemoryMarshal.AsBytes(data.Features).ToArray();
        byte[] targets = MemoryMarshal.AsBytes(data.Targets).ToArray();
        byte[] labels = MemoryMarshal.AsBytes(data.Labels).ToArray();
        return $"{data.Count}x{data.FeatureCount}->{data.TargetCount}:" + Convert.ToHexString(SHA256.HashData([.. features, .. targets, .. labels]));
    }

    public static void AssertBitIdentical(uint[] expected, INetwork network)
    {
        uint[] actual = Bits(network);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"Parameter {i} differs: expected 0x{expected[i]:X8} ({BitConverter.UInt32BitsToSingle(expected[i])}), got 0x{actual[i]:X8} ({BitConverter.UInt32BitsToSingle(actual[i])}).");
            }
        }
    }

    /// <summary>The repository root (the folder holding L1Net.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "L1Net.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("L1Net.sln not found above the test binaries.");
    }
}

/// <summary>An <see cref="IProgress{T}"/> that calls its action synchronously (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class SyncProgress(Action<EpochReport> action) : IProgress<EpochReport>
{
    public void Report(EpochReport value) => action(value);
}

/// <summary>Wraps a regularizer and runs a hook on every <see cref="AddGradient"/> call (counted from 1): once per layer and step.</summary>
internal sealed class HookedRegularizer(IRegularizer inner, Action<int> onUpdate) : IRegularizer
{
    private int _calls;

    public string Name => $"Hooked({inner.Name})";

    public double Penalty(ReadOnlySpan<float> weights, ParameterShape shape) => inner.Penalty(weights, shape);

    public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient, ParameterShape shape)
    {
        onUpdate(++_calls);
        inner.AddGradient(weights, gradient, shape);
    }

    public RegularizerCoupling Coupling => inner.Coupling;

    public float WeightDecay => inner.WeightDecay;

    public float SignCoefficient => inner.SignCoefficient;

    public bool HasProximalStep => inner.HasProximalStep;

    public void ApplyProximal(Span<float> weights, ReadOnlySpan<float> stepSizes, ParameterShape shape) => inner.ApplyProximal(weights, stepSizes, shape);
}

/// <summary>A sample order that runs a hook before delegating (epoch is 1-based).</summary>
internal sealed class HookedSampleOrder(ISampleOrder inner, Action<int, Span<int>> after) : ISampleOrder
{
    public void Arrange(Span<int> order, int epoch)
    {
        inner.Arrange(order, epoch);
        after(epoch, order);
    }
}
