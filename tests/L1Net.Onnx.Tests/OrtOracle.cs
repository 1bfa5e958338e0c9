using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace L1Net.Onnx.Tests;

/// <summary>Runs an exported model in ONNX Runtime and compares it with L1Net's own predictions.</summary>
internal static class OrtOracle
{
    /// <summary>Absolute tolerance for outputs up to 1 in size; larger outputs (Identity layers) get the same relative tolerance.</summary>
    public const float Tolerance = 1e-5f;

    public static (float[] Outputs, long[] Classes) Run(byte[] model, float[] rows, int featureCount, string input = "features", string? output = null, string classOutput = "class")
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        output ??= session.OutputNames[0];
        int n = rows.Length / featureCount;
        using OrtValue x = OrtValue.CreateTensorValueFromMemory(rows, [n, featureCount]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, [input], [x], [output, classOutput]);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[1].GetTensorDataAsSpan<long>().ToArray());
    }

    /// <summary>
    /// Asserts that ONNX Runtime's outputs on <paramref name="rawRows"/> match <paramref name="network"/>'s <c>PredictBatch</c>
    /// on <paramref name="networkRows"/> (the same rows after the preprocessing the export contains) within <see cref="Tolerance"/>,
    /// and that the classes are equal. Returns the largest difference seen.
    /// </summary>
    public static float AssertMatches(DenseNetwork network, byte[] model, float[] rawRows, int rawFeatureCount, float[] networkRows)
    {
        int n = rawRows.Length / rawFeatureCount;
        Assert.Equal(n * network.InputSize, networkRows.Length);
        var expected = new float[n * network.OutputSize];
        network.PredictBatch(networkRows, expected);

        // Predict of one row (a dot product per unit) agrees with PredictBatch (the GEMM, one chain per element) to float
        // rounding, and PredictBatch of that row alone gives its bits in the batch; check both, since both are the API users call.
        var single = new float[network.OutputSize];
        network.Predict(networkRows.AsSpan(0, network.InputSize), single);
        for (int o = 0; o < single.Length; o++)
        {
            Assert.True(MathF.Abs(single[o] - expected[o]) <= 1e-5f * MathF.Max(1f, MathF.Abs(expected[o])), $"Predict output {o}: {single[o]:R}, PredictBatch {expected[o]:R}");
        }

        network.PredictBatch(networkRows.AsSpan(0, network.InputSize), single);
        Assert.Equal(expected.AsSpan(0, network.OutputSize).ToArray(), single);

        (float[] actual, long[] classes) = Run(model, rawRows, rawFeatureCount);
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(n, classes.Length);
        float worst = 0f;
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            float diff = MathF.Abs(e - a);
            float allowed = Tolerance * MathF.Max(1f, MathF.Abs(e));
            Assert.True(diff <= allowed, $"output {i % network.OutputSize} of row {i / network.OutputSize}: L1Net {e:R}, ONNX Runtime {a:R} (difference {diff:G3} > {allowed:G3})");
            worst = MathF.Max(worst, diff / MathF.Max(1f, MathF.Abs(e)));
        }

        for (int r = 0; r < n; r++)
        {
            int expectedClass = TensorPrimitives.IndexOfMax(expected.AsSpan(r * network.OutputSize, network.OutputSize));
            Assert.True(expectedClass == classes[r], $"row {r}: L1Net class {expectedClass}, ONNX Runtime class {classes[r]}");
        }

        return worst;
    }
}
