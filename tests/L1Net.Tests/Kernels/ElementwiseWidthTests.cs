using System.Numerics.Tensors;
using L1Net.Kernels;
using L1Net.Tests.Support;

namespace L1Net.Tests.Kernels;

/// <summary>
/// The element-wise kernels (regularizer subgradient, soft-thresholding, the per-sample backward sweep, the one-pass Adam
/// step) are one generic body per kernel; here each runs at every width, whatever the machine (a width the hardware does
/// not accelerate runs in software), on lengths around every vector size, and must give the bits of the scalar formula
/// in every element, vector lanes and tail alike.
/// </summary>
public class ElementwiseWidthTests
{
    private static readonly VectorWidth[] Widths = [VectorWidth.Vector512, VectorWidth.Vector256, VectorWidth.Vector128, VectorWidth.Scalar];

    public static TheoryData<int> Lengths() => Floats.LengthData();

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Zero_sets_every_element_to_positive_zero_and_nothing_past_the_span(int n)
    {
        // The in-line clear of the per-sample step (the regularizer's slice, the sweep's error below): every element +0
        // (a -0, a NaN or an infinity before included), in the vector blocks and the tail, and the element after untouched.
        float[] buffer = new float[n + 1];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (i % 4) switch { 0 => -0f, 1 => float.NaN, 2 => float.NegativeInfinity, _ => 3.5f + i };
        }

        float after = buffer[n];
        Elementwise.Zero(buffer.AsSpan(0, n));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(0, BitConverter.SingleToInt32Bits(buffer[i]));
        }

        Assert.Equal(BitConverter.SingleToInt32Bits(after), BitConverter.SingleToInt32Bits(buffer[n]));
    }

    [Fact]
    public void L1_subgradient_keeps_a_negative_zero_gradient_where_the_weight_is_zero_in_vector_lanes_and_tail_alike()
    {
        // w = +-0 and g = -0: sign(0) = 0 adds nothing, so g stays -0. The vector path used to add a +0 mask (-0 + +0 = +0)
        // while the scalar tail kept -0, so the same element's bits depended on where a block of rows started, i.e. on the
        // thread count.
        const int N = 37;
        foreach (VectorWidth width in Widths)
        {
            float[] w = new float[N];
            float[] g = new float[N];
            for (int i = 0; i < N; i++)
            {
                w[i] = (i % 3) switch { 0 => 0f, 1 => -0f, _ => i % 2 == 0 ? 0.5f : -0.5f };
                g[i] = i % 4 == 0 ? 0.25f : -0f;
            }

            float[] expected = w.Zip(g, (wi, gi) => wi == 0f ? gi : gi + MathF.CopySign(0.1f, wi)).ToArray();
            RegularizerKernels.AddL1Subgradient(w, g, 0.1f, width);
            Floats.AssertBitwiseEqual(expected, g, $"{width}");
            Assert.True(float.IsNegative(g[1]) && g[1] == 0f, $"{width}: g[1] = {g[1]} lost the sign of -0");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void L1_subgradient_gives_the_scalar_formula_bits_at_every_width(int n)
    {
        float[] w = WithZeros(Floats.RandomValues(n, n));
        float[] g0 = WithZeros(Floats.RandomValues(n, n + 1000));
        float[] expected = w.Zip(g0, (wi, gi) => wi == 0f ? gi : gi + MathF.CopySign(0.01f, wi)).ToArray();
        foreach (VectorWidth width in Widths)
        {
            float[] g = (float[])g0.Clone();
            RegularizerKernels.AddL1Subgradient(w, g, 0.01f, width);
            Floats.AssertBitwiseEqual(expected, g, $"{width}, n = {n}");
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Soft_thresholds_give_the_scalar_formula_bits_at_every_width(int n)
    {
        float[] w0 = WithZeros(Floats.RandomValues(n, n + 7));
        if (n > 2)
        {
            w0[2] = float.NaN;
        }

        float[] eta = Floats.RandomValues(n, n + 8).Select(MathF.Abs).ToArray();
        float[] expectedShared = w0.Select(v => MathF.Abs(v) <= 0.3f ? 0f : v - MathF.CopySign(0.3f, v)).ToArray();
        float[] expectedScaled = w0.Zip(eta, (v, e) => MathF.Abs(v) <= 0.5f * e ? 0f : v - MathF.CopySign(0.5f * e, v)).ToArray();
        foreach (VectorWidth width in Widths)
        {
            float[] w = (float[])w0.Clone();
            ProximalKernels.SoftThreshold(w, 0.3f, width);
            Floats.AssertBitwiseEqual(expectedShared, w, $"shared threshold, {width}, n = {n}");
            Assert.DoesNotContain(w, v => v == 0f && float.IsNegative(v));

            w = (float[])w0.Clone();
            RegularizerKernels.SoftThreshold(w, eta, 0.5f, width);
            Floats.AssertBitwiseEqual(expectedScaled, w, $"per-value threshold, {width}, n = {n}");
            Assert.DoesNotContain(w, v => v == 0f && float.IsNegative(v));
        }
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 7)]
    [InlineData(4, 17)]
    [InlineData(3, 33)]
    [InlineData(2, 70)]
    public void Per_sample_backward_sweep_gives_the_same_bits_at_every_width(int outputs, int inputs)
    {
        float[] w = Floats.RandomValues(outputs * inputs, 1);
        float[] x = Floats.RandomValues(inputs, 2);
        float[] delta = Floats.RandomValues(outputs, 3);
        delta[1] = 0f;
        float[]? firstBelow = null, firstGradient = null;
        foreach (VectorWidth width in Widths)
        {
            float[] below = new float[inputs], gw = new float[w.Length], gb = new float[outputs];
            SampleGradientKernels.BackwardAndGradient(w, delta, x, below, gw, gb, width);
            firstBelow ??= below;
            firstGradient ??= gw;
            Floats.AssertBitwiseEqual(firstBelow, below, $"below, {width}");
            Floats.AssertBitwiseEqual(firstGradient, gw, $"weight gradient, {width}");
            Assert.Equal(delta, gb);
        }
    }

    [Theory]
    [InlineData(0, 0f, false)]
    [InlineData(1, 0f, false)]
    [InlineData(17, 0f, false)]
    [InlineData(33, 0.01f, false)]
    [InlineData(65, 0.01f, true)]
    [InlineData(100, 0f, true)]
    public void Adam_in_one_pass_gives_the_bits_of_one_TensorPrimitives_pass_per_operation(int n, float weightDecay, bool decoupled)
    {
        // The reference is the optimizer's former form, one TensorPrimitives pass per operation (the double-precision
        // reference of PyTorch's formula is OptimizerTests'); the fused kernel must not move a bit, at any width.
        const float Lr = 0.01f, B1 = 0.9f, B2 = 0.999f, Eps = 1e-8f;
        float[] w0 = Floats.RandomValues(n, 11);
        float[] m0 = Floats.RandomValues(n, 12, 0.1f);
        float[] v0 = Floats.RandomValues(n, 13, 0.01f).Select(MathF.Abs).ToArray();
        for (long step = 1; step <= 3; step++)
        {
            float[] g0 = Floats.RandomValues(n, 14 + (int)step);
            float[] w = (float[])w0.Clone(), m = (float[])m0.Clone(), v = (float[])v0.Clone(), eta = new float[n], g = (float[])g0.Clone();
            if (weightDecay != 0f)
            {
                if (decoupled)
                {
                    TensorPrimitives.Multiply(w, 1f - (Lr * weightDecay), w);
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(w, weightDecay, g, g);
                }
            }

            TensorPrimitives.Multiply(m, B1, m);
            TensorPrimitives.MultiplyAdd(g, 1f - B1, m, m);
            TensorPrimitives.Multiply(g, g, g);
            TensorPrimitives.Multiply(v, B2, v);
            TensorPrimitives.MultiplyAdd(g, 1f - B2, v, v);
            float correction1 = (float)(1d - Math.Pow(B1, step));
            float correction2 = (float)Math.Sqrt(1d - Math.Pow(B2, step));
            TensorPrimitives.Sqrt(v, eta);
            TensorPrimitives.Divide(eta, correction2, eta);
            TensorPrimitives.Add(eta, Eps, eta);
            TensorPrimitives.Divide(Lr, eta, eta);
            TensorPrimitives.Multiply(eta, m, g);
            TensorPrimitives.MultiplyAdd(g, -1f / correction1, w, w);

            var coefficients = new AdamCoefficients(Lr, B1, B2, Eps, weightDecay, decoupled, step);
            foreach (VectorWidth width in Widths)
            {
                float[] fw = (float[])w0.Clone(), fm = (float[])m0.Clone(), fv = (float[])v0.Clone(), feta = new float[n];
                OptimizerKernels.Adam(fw, g0, fm, fv, feta, coefficients, width);
                Floats.AssertBitwiseEqual(w, fw, $"w, {width}, step {step}");
                Floats.AssertBitwiseEqual(m, fm, $"m, {width}, step {step}");
                Floats.AssertBitwiseEqual(v, fv, $"v, {width}, step {step}");
                Floats.AssertBitwiseEqual(eta, feta, $"eta, {width}, step {step}");
            }
        }
    }

    [Fact]
    public void The_element_wise_kernels_reject_spans_of_different_lengths()
    {
        Assert.Throws<ArgumentException>(() => RegularizerKernels.AddL1Subgradient(new float[3], new float[4], 0.1f));
        Assert.Throws<ArgumentException>(() => RegularizerKernels.SoftThreshold(new float[3], new float[4], 0.1f));
        Assert.Throws<ArgumentException>(() => OptimizerKernels.Adam(new float[3], new float[3], new float[3], new float[2], new float[3], new AdamCoefficients(0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1)));
    }

    /// <summary>Every third value +0 and every seventh -0, so zeros of both signs fall in vector lanes and in tails.</summary>
    private static float[] WithZeros(float[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (i % 3 == 0)
            {
                values[i] = 0f;
            }
            else if (i % 7 == 0)
            {
                values[i] = -0f;
            }
        }

        return values;
    }
}
