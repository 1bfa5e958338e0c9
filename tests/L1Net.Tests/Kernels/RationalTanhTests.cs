using System.Runtime.Intrinsics;
using L1Net.Kernels;
using L1Net.Tests.Support;

namespace L1Net.Tests.Kernels;

/// <summary>The batched forward product's tanh (a rational function, applied to GEMM tiles) against double precision, and its bits at every width.</summary>
public class RationalTanhTests
{
    private static float[] Sweep()
    {
        // Every 97th float from 1e-6 to 12 (about 110,000 values across every binade the activation sees), both signs.
        var values = new List<float>();
        for (int bits = BitConverter.SingleToInt32Bits(1e-6f); bits <= BitConverter.SingleToInt32Bits(12f); bits += 97)
        {
            float x = BitConverter.Int32BitsToSingle(bits);
            values.Add(x);
            values.Add(-x);
        }

        return [.. values];
    }

    [Fact]
    public void Within_5_ulp_and_3e_7_of_double_precision_tanh_with_FMA_7_ulp_and_4_2e_7_without()
    {
        // Without FMA (x64 SSE, scalar) every multiply-add rounds twice. The bounds are the maxima over every float in
        // [1e-6, 12] (checked once, exhaustively); this samples every 97th.
        int maxUlps = KernelMath.FusedHardware ? 5 : 7;
        double maxError = KernelMath.FusedHardware ? 3e-7 : 4.2e-7;
        foreach (float x in Sweep())
        {
            float actual = RationalTanh.Evaluate(x);
            double exact = Math.Tanh(x);
            long ulps = Math.Abs((long)BitConverter.SingleToInt32Bits(actual) - BitConverter.SingleToInt32Bits((float)exact));
            Assert.True(ulps <= maxUlps, $"tanh({x:R}) = {actual:R}, exact {exact:R}: {ulps} ulp");
            Assert.True(Math.Abs(actual - exact) <= maxError, $"tanh({x:R}) = {actual:R}, exact {exact:R}");
        }
    }

    [Fact]
    public void Is_odd_exact_at_zero_and_saturates_at_one()
    {
        foreach (float x in Sweep())
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(-RationalTanh.Evaluate(x)), BitConverter.SingleToInt32Bits(RationalTanh.Evaluate(-x)));
            Assert.InRange(RationalTanh.Evaluate(x), -1f, 1f);
        }

        Assert.Equal(0f, RationalTanh.Evaluate(0f));
        Assert.Equal(1f, RationalTanh.Evaluate(20f));
        Assert.Equal(-1f, RationalTanh.Evaluate(-1e30f));
        Assert.Equal(1f, RationalTanh.Evaluate(float.PositiveInfinity));
        Assert.True(float.IsNaN(RationalTanh.Evaluate(float.NaN)));
    }

    [Fact]
    public void The_values_outside_the_sweep_zeros_subnormals_tiny_huge_infinities_and_NaN()
    {
        // Below 1e-6 (down through the subnormals, where x^2 underflows and x P1 loses bits) the absolute error stays far
        // under the bound; past the clamp every value saturates to exactly +-1; -0 keeps its sign; NaN passes through.
        double maxError = KernelMath.FusedHardware ? 3e-7 : 4.2e-7;
        var tiny = new List<float> { float.Epsilon, 1e-44f, 1e-40f, 1.17549435e-38f, 1e-30f, 1e-20f, 1e-10f, 9.99e-7f };
        for (int bits = 1; bits < BitConverter.SingleToInt32Bits(1e-6f); bits += 65_537)
        {
            tiny.Add(BitConverter.Int32BitsToSingle(bits));
        }

        foreach (float t in tiny)
        {
            foreach (float x in new[] { t, -t })
            {
                float actual = RationalTanh.Evaluate(x);
                Assert.True(Math.Abs(actual - Math.Tanh(x)) <= maxError, $"tanh({x:R}) = {actual:R}");
                Assert.NotEqual(-Math.Sign(x), Math.Sign(actual)); // x P1 may underflow to zero, never to the other sign
            }
        }

        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(RationalTanh.Evaluate(-0f)));
        Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(RationalTanh.Evaluate(0f)));
        foreach (float big in new[] { 9f, 9.5f, 12f, 1e4f, 1e30f, float.MaxValue, float.PositiveInfinity })
        {
            Assert.Equal(1f, RationalTanh.Evaluate(big));
            Assert.Equal(-1f, RationalTanh.Evaluate(-big));
        }

        Assert.True(float.IsNaN(RationalTanh.Evaluate(float.NaN)));
        Assert.True(float.IsNaN(RationalTanh.Evaluate(-float.NaN)));

        // The same bits in every lane of every width (the hardware min/max must propagate NaN and order -0 below +0).
        float[] x16 = [-0f, 0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, 1e-40f, -1e-40f, float.MaxValue, -float.MaxValue, 9f, -9f, 1e-30f, -1e30f, 0.5f];
        AssertEveryWidthGivesTheScalarBits(x16);
    }

    [Fact]
    public void Every_width_gives_the_bits_of_the_scalar_form_in_every_lane()
    {
        // Each lane runs the scalar form's operations (a width the hardware does not accelerate runs in software), so a
        // value's result does not depend on where it falls in a vector or on the width.
        float[] x = Sweep();
        Array.Resize(ref x, x.Length - (x.Length % 16));
        AssertEveryWidthGivesTheScalarBits(x);
    }

    [Fact]
    public void A_tanh_layer_in_PredictBatch_is_the_rational_tanh_of_the_pre_activation()
    {
        // One tanh layer with identity weights (x -> tanh(x + b)) and an identity output: PredictBatch's hidden values are
        // exactly the kernel's, whatever the width and block.
        DenseNetwork network = NetworkBuilder.Input(3).Dense(3, Activation.Tanh).Dense(3, Activation.Identity).Build(new GlorotUniformInitializer(1));
        network.Parameters.Clear();
        for (int i = 0; i < 3; i++)
        {
            network.GetWeights(0)[(i * 3) + i] = 1f;
            network.GetWeights(1)[(i * 3) + i] = 1f;
        }

        network.GetBiases(0)[1] = 0.25f;
        float[] inputs = Sweep().Take(300 * 3).ToArray();
        var outputs = new float[inputs.Length];
        network.PredictBatch(inputs, outputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            float z = i % 3 == 1 ? inputs[i] + 0.25f : inputs[i];
            Assert.Equal(BitConverter.SingleToInt32Bits(RationalTanh.Evaluate(z)), BitConverter.SingleToInt32Bits(outputs[i]));
        }
    }

    private static void AssertEveryWidthGivesTheScalarBits(float[] x)
    {
        float[] expected = x.Select(RationalTanh.Evaluate).ToArray();
        Floats.AssertBitwiseEqual(expected, Run<Vec512Ops, Vector512<float>>(x), "Vector512");
        Floats.AssertBitwiseEqual(expected, Run<Vec256Ops, Vector256<float>>(x), "Vector256");
        Floats.AssertBitwiseEqual(expected, Run<Vec128Ops, Vector128<float>>(x), "Vector128");
    }

    private static float[] Run<TOps, TVec>(float[] x)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        var result = new float[x.Length];
        for (int i = 0; i < x.Length; i += TOps.Count)
        {
            TOps.Store(RationalTanh.Evaluate<TOps, TVec>(TOps.Load(ref x[i])), ref result[i]);
        }

        return result;
    }
}
