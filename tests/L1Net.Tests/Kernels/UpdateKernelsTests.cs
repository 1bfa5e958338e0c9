using L1Net.Kernels;
using L1Net.Tests.Support;

namespace L1Net.Tests.Kernels;

/// <summary>
/// The fused update kernels on every span length around the vector widths. The ElasticNet kernel is hand-written on
/// Vector512/Vector256 with a scalar tail, so its vector lanes and its tail must give the same bits for the same input.
/// </summary>
public class UpdateKernelsTests
{
    private const float Rate = 0.1f;

    public static TheoryData<int, float, float> ElasticNetCases()
    {
        var data = new TheoryData<int, float, float>();
        foreach (int n in Floats.Lengths)
        {
            data.Add(n, 0.05f, 0f);
            data.Add(n, 0f, 0.3f);
            data.Add(n, 0.05f, 0.3f);
            data.Add(n, 0f, 0f);
        }

        return data;
    }

    public static TheoryData<int> Lengths() => Floats.LengthData();

    [Theory]
    [MemberData(nameof(ElasticNetCases))]
    public void ElasticNet_vector_and_scalar_paths_agree_bit_for_bit_with_the_scalar_reference(int n, float l1, float l2)
    {
        float[] w0 = Floats.StepWeights(n, Rate * l1, seed: n);
        float[] g = Floats.RandomValues(n, seed: 1000 + n, scale: 0.5f);
        g[..Math.Min(n, 3)].AsSpan().Clear();

        float[] whole = (float[])w0.Clone();
        UpdateKernels.ElasticNet(whole, g, Rate, l1, l2);

        // One element at a time: always the scalar tail.
        float[] single = (float[])w0.Clone();
        for (int i = 0; i < n; i++)
        {
            UpdateKernels.ElasticNet(single.AsSpan(i, 1), g.AsSpan(i, 1), Rate, l1, l2);
        }

        // Offset by one: vector lanes see different elements than in the aligned call.
        float[] shifted = (float[])w0.Clone();
        if (n > 1)
        {
            UpdateKernels.ElasticNet(shifted.AsSpan(0, 1), g.AsSpan(0, 1), Rate, l1, l2);
            UpdateKernels.ElasticNet(shifted.AsSpan(1), g.AsSpan(1), Rate, l1, l2);
        }
        else
        {
            UpdateKernels.ElasticNet(shifted, g, Rate, l1, l2);
        }

        float[] reference = ScalarReference(w0, g, Rate, l1, l2);
        Floats.AssertBitwiseEqual(reference, whole, "whole span vs scalar reference");
        Floats.AssertBitwiseEqual(reference, single, "element by element vs scalar reference");
        Floats.AssertBitwiseEqual(reference, shifted, "shifted span vs scalar reference");
    }

    [Theory]
    [MemberData(nameof(ElasticNetCases))]
    public void ElasticNet_scalar_reference_is_the_correctly_rounded_elastic_net_step(int n, float l1, float l2)
    {
        // Keeps the bit-exact reference above honest: it is w (1 - rate l2) - rate (g + l1 sign(w)), within an ulp with
        // fused multiply-adds; without FMA (x64 without AVX, no hardware intrinsics) each multiply and add rounds, within 3.
        bool fused = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
        float[] w0 = Floats.StepWeights(n, Rate * l1, seed: n);
        float[] g = Floats.RandomValues(n, seed: 1000 + n, scale: 0.5f);
        float[] reference = ScalarReference(w0, g, Rate, l1, l2);
        float decay = 1f - (Rate * l2), shrink = Rate * l1;

        for (int i = 0; i < n; i++)
        {
            double exact = ((double)w0[i] * decay) - (((double)g[i] * Rate) + (Math.Sign(w0[i]) * (double)shrink));
            Floats.AssertWithinUlps(exact, reference[i], fused ? 1 : 3, $"element {i}", scale: Math.Max(Math.Abs(w0[i]), Math.Abs(g[i] * Rate) + shrink));
        }
    }

    [Fact]
    public void ElasticNet_rejects_spans_of_different_lengths()
    {
        var w = new float[9];
        Assert.Throws<ArgumentException>(() => UpdateKernels.ElasticNet(w, new float[8], Rate, 0.1f, 0.1f));
        Assert.All(w, v => Assert.Equal(0f, v));
    }

    private static float[] ScalarReference(float[] w0, float[] g, float rate, float l1, float l2)
    {
        float decay = 1f - (rate * l2);
        float shrink = rate * l1;
        var result = new float[w0.Length];
        for (int i = 0; i < w0.Length; i++)
        {
            float step = w0[i] == 0f ? 0f : MathF.CopySign(shrink, w0[i]);
            result[i] = MultiplyAdd(w0[i], decay, -MultiplyAdd(g[i], rate, step));
        }

        return result;
    }

    /// <summary>The kernels' multiply-add: fused where the hardware has FMA (x64 FMA3, Arm64), a multiply and an add otherwise.</summary>
    private static float MultiplyAdd(float a, float b, float c) =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : (a * b) + c;
}
