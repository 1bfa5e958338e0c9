using L1Net.Kernels;
using L1Net.Tests.Support;

namespace L1Net.Tests.Kernels;

/// <summary>Activations and their derivatives on whole spans, against double-precision formulas, on lengths around the vector widths.</summary>
public class ActivationKernelsTests
{
    public static TheoryData<Activation, int> ElementwiseCases()
    {
        var data = new TheoryData<Activation, int>();
        foreach (Activation a in new[] { Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.ReLU })
        {
            foreach (int n in Floats.Lengths)
            {
                data.Add(a, n);
            }
        }

        return data;
    }

    public static TheoryData<int> Lengths() => Floats.LengthData();

    [Theory]
    [MemberData(nameof(ElementwiseCases))]
    public void Apply_matches_the_double_formula_in_place_and_out_of_place(Activation activation, int n)
    {
        float[] z = Floats.RandomValues(n, seed: n, scale: 6f);
        if (n > 2)
        {
            z[0] = 0f;
            z[1] = 40f;
            z[2] = -40f;
        }

        var outOfPlace = new float[n];
        ActivationKernels.Apply(activation, z, outOfPlace);
        float[] inPlace = (float[])z.Clone();
        ActivationKernels.Apply(activation, inPlace, inPlace);

        double[] reference = ReferenceModel.Activate(activation, ReferenceModel.ToDouble(z));
        Floats.AssertBitwiseEqual(outOfPlace, inPlace, "in place vs out of place");
        for (int i = 0; i < n; i++)
        {
            // Identity and ReLU are exact; tanh and sigmoid are TensorPrimitives approximations: within 4 ulp of the
            // result or 1e-7 absolute near zero, whichever is larger.
            double tolerance = activation is Activation.Identity or Activation.ReLU ? 0 : Math.Max(4 * Floats.Ulp(reference[i]), 1e-7);
            Assert.True(Math.Abs(outOfPlace[i] - reference[i]) <= tolerance, $"{activation}({z[i]:R}) = {outOfPlace[i]:R}, expected {reference[i]:R}.");
        }
    }

    [Theory]
    [MemberData(nameof(ElementwiseCases))]
    public void Apply_agrees_on_a_whole_span_and_element_by_element(Activation activation, int n)
    {
        float[] z = Floats.RandomValues(n, seed: 3 * n, scale: 6f);
        var whole = new float[n];
        ActivationKernels.Apply(activation, z, whole);
        var single = new float[n];
        for (int i = 0; i < n; i++)
        {
            ActivationKernels.Apply(activation, z.AsSpan(i, 1), single.AsSpan(i, 1));
        }

        if (activation is Activation.Identity or Activation.ReLU)
        {
            Floats.AssertBitwiseEqual(single, whole, $"{activation}");
            return;
        }

        // TensorPrimitives.Tanh and Sigmoid use a different approximation in their vector body than in their scalar
        // tail, so the same z gives results that depend on its position in the span (seen here: 11 ulp apart for
        // tanh(0.0597)). Training stays deterministic (a layer's width is fixed), but the two paths agree only within
        // the accuracy bound of the test above, not bit for bit.
        for (int i = 0; i < n; i++)
        {
            double tolerance = Math.Max(4 * Floats.Ulp(single[i]), 1e-7);
            Assert.True(Math.Abs(whole[i] - single[i]) <= tolerance, $"{activation}({z[i]:R}) at {i}: whole span {whole[i]:R}, alone {single[i]:R}.");
        }
    }

    [Theory]
    [MemberData(nameof(ElementwiseCases))]
    public void MultiplyByDerivative_multiplies_by_f_prime_written_in_the_output(Activation activation, int n)
    {
        float[] z = Floats.RandomValues(n, seed: 5 * n, scale: 3f);
        var a = new float[n];
        ActivationKernels.Apply(activation, z, a);
        float[] delta = Floats.RandomValues(n, seed: (5 * n) + 1);
        float[] result = (float[])delta.Clone();

        ActivationKernels.MultiplyByDerivative(activation, a, result);

        for (int i = 0; i < n; i++)
        {
            // f'(z) by central differences of the double formula: independent of the output-based forms in the kernel.
            double h = 1e-6, zi = z[i];
            double fPrime = (ReferenceModel.Activate(activation, [zi + h])[0] - ReferenceModel.Activate(activation, [zi - h])[0]) / (2 * h);
            double expected = delta[i] * fPrime;
            Assert.True(Math.Abs(result[i] - expected) <= 1e-6 + (1e-5 * Math.Abs(expected)), $"{activation}'({z[i]:R}) * {delta[i]:R} = {result[i]:R}, expected {expected:R}.");
        }
    }

    [Fact]
    public void ReLU_derivative_is_zero_at_and_below_the_kink()
    {
        float[] a = [0f, 0f, 2f];
        float[] delta = [5f, -5f, 5f];

        ActivationKernels.MultiplyByDerivative(Activation.ReLU, a, delta);

        Assert.Equal([0f, 0f, 5f], delta);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Softmax_matches_the_double_formula_and_sums_to_one(int n)
    {
        if (n == 0)
        {
            return;
        }

        float[] z = Floats.RandomValues(n, seed: 7 * n, scale: 10f);
        var a = new float[n];
        ActivationKernels.Softmax(z, a);

        double[] reference = ReferenceModel.Activate(Activation.Softmax, ReferenceModel.ToDouble(z));
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            // TensorPrimitives.Exp is within a few ulp; its 128-bit path (DOTNET_EnableAVX=0) measured 5.3 ulp here.
            Assert.True(Math.Abs(a[i] - reference[i]) <= (8 * Floats.Ulp(reference[i])) + 1e-9, $"softmax[{i}] = {a[i]:R}, expected {reference[i]:R}.");
            sum += a[i];
        }

        Assert.Equal(1.0, sum, 1e-5);
    }

    [Fact]
    public void Softmax_of_four_values_has_the_bits_of_the_TensorPrimitives_formula()
    {
        // The short-row branch (one 128-bit vector) must give exactly what the general path (subtract, Exp, Sum, divide
        // through TensorPrimitives) gives for four values, at every width (the suite runs under DOTNET_EnableAVX512=0,
        // DOTNET_EnableAVX=0 and DOTNET_EnableHWIntrinsic=0).
        var random = new Random(42);
        var rows = new List<float[]> { new[] { 0f, 0f, 0f, 0f }, new[] { 1e4f, 1e4f - 1f, -1e4f, 1e4f }, new[] { -0f, 0f, 88f, -88f } };
        for (int r = 0; r < 500; r++)
        {
            float scale = r % 3 == 0 ? 1f : r % 3 == 1 ? 10f : 60f;
            rows.Add(Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() - 0.5) * scale).ToArray());
        }

        foreach (float[] z in rows)
        {
            var actual = new float[4];
            ActivationKernels.Softmax(z, actual);

            float max = z.Max();
            var expected = new float[4];
            System.Numerics.Tensors.TensorPrimitives.Subtract(z, max, expected);
            System.Numerics.Tensors.TensorPrimitives.Exp(expected, expected);
            float sum = System.Numerics.Tensors.TensorPrimitives.Sum(expected);
            System.Numerics.Tensors.TensorPrimitives.Divide(expected, sum, expected);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Tanh_has_the_bits_of_TensorPrimitives_at_every_length_and_in_place()
    {
        // Lengths 1-70 cover every path of both (scalar below four values, each vector width, whole vectors plus an
        // overlapping last one); the values mix ordinary, tiny, huge and special inputs, zeros of both signs included.
        var random = new Random(20261126);
        float[] specials = [0f, -0f, 1e-30f, -1e-30f, float.Epsilon, -float.Epsilon, 8.66f, -8.66f, 9f, 20f, -20f, 88f, 1e30f, -1e30f, float.MaxValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        for (int n = 1; n <= 70; n++)
        {
            for (int trial = 0; trial < 20; trial++)
            {
                float[] z = new float[n];
                for (int i = 0; i < n; i++)
                {
                    z[i] = trial % 4 == 3 ? specials[random.Next(specials.Length)] : (float)((random.NextDouble() - 0.5) * (trial % 4 == 0 ? 1 : trial % 4 == 1 ? 8 : 40));
                }

                var expected = new float[n];
                System.Numerics.Tensors.TensorPrimitives.Tanh(z, expected);
                var actual = new float[n];
                ActivationKernels.Apply(Activation.Tanh, z, actual);
                Floats.AssertBitwiseEqual(expected, actual, $"tanh of {n} values, trial {trial}");

                ActivationKernels.Apply(Activation.Tanh, z, z); // in place
                Floats.AssertBitwiseEqual(expected, z, $"tanh of {n} values in place, trial {trial}");
            }
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(48)]
    public void Tanh_refuses_spans_that_overlap_without_starting_together_as_TensorPrimitives_does(int n)
    {
        float[] buffer = Floats.RandomValues(n + 1, seed: n, scale: 2f);
        float[] before = (float[])buffer.Clone();
        Assert.Throws<ArgumentException>("destination", () => System.Numerics.Tensors.TensorPrimitives.Tanh(buffer.AsSpan(0, n), buffer.AsSpan(1, n)));
        ArgumentException e = Assert.Throws<ArgumentException>(() => ActivationKernels.Tanh(buffer.AsSpan(0, n), buffer.AsSpan(1, n)));
        Assert.Equal("a", e.ParamName);
        Assert.Equal(before, buffer); // nothing written
    }

    [Fact]
    public void Tanh_has_the_bits_of_TensorPrimitives_across_its_range()
    {
        // Every float from 0 to 10 in steps of about 1e-5, and every binade from 1e-38 up, both signs, in rows of 8 (the
        // seed network's hidden layer) and 16.
        var inputs = new List<float>();
        for (int i = 0; i <= 1_000_000; i++)
        {
            inputs.Add(i / 100_000f);
        }

        for (float t = 1e-38f; t < 1e30f; t *= 1.5f)
        {
            inputs.Add(t);
        }

        float[] all = [.. inputs, .. inputs.Select(v => -v)];
        foreach (int row in new[] { 8, 16 })
        {
            var expected = new float[row];
            var actual = new float[row];
            for (int k = 0; k + row <= all.Length; k += row)
            {
                ReadOnlySpan<float> z = all.AsSpan(k, row);
                System.Numerics.Tensors.TensorPrimitives.Tanh(z, expected);
                ActivationKernels.Apply(Activation.Tanh, z, actual);
                Floats.AssertBitwiseEqual(expected, actual, $"tanh of the row of {row} from {z[0]:R}");
            }
        }
    }

    [Fact]
    public void Softmax_of_four_values_has_the_TensorPrimitives_bits_across_the_whole_range_of_the_exponential()
    {
        // The short-row branch computes its exponentials in a wider vector than TensorPrimitives does for four values
        // (where that width is accelerated): every shifted logit from 0 down to past exp's underflow (-104), in steps of
        // about 1/1000 and at every binade near 0, must give the same bits.
        var z = new float[4];
        var actual = new float[4];
        var expected = new float[4];
        var inputs = new List<float>();
        for (int i = 0; i <= 105_000; i++)
        {
            inputs.Add(-i / 1000f);
        }

        for (float t = -1e-30f; t > -1f; t *= 2f)
        {
            inputs.Add(t);
        }

        for (int k = 0; k + 3 <= inputs.Count; k += 3)
        {
            z[0] = 0f;
            z[1] = inputs[k];
            z[2] = inputs[k + 1];
            z[3] = inputs[k + 2];
            ActivationKernels.Softmax(z, actual);
            System.Numerics.Tensors.TensorPrimitives.Subtract(z, 0f, expected);
            System.Numerics.Tensors.TensorPrimitives.Exp(expected, expected);
            float sum = System.Numerics.Tensors.TensorPrimitives.Sum(expected);
            System.Numerics.Tensors.TensorPrimitives.Divide(expected, sum, expected);
            Floats.AssertBitwiseEqual(expected, actual, $"softmax([0, {z[1]:R}, {z[2]:R}, {z[3]:R}])");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Softmax_of_fewer_than_four_values_ignores_the_unused_lanes(int n)
    {
        float[] z = Floats.RandomValues(n, seed: 3 + n, scale: 5f);
        var a = Enumerable.Repeat(7f, n + 2).ToArray();
        ActivationKernels.Softmax(z, a.AsSpan(0, n));
        double[] reference = ReferenceModel.Activate(Activation.Softmax, ReferenceModel.ToDouble(z));
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(a[i] - reference[i]) <= (4 * Floats.Ulp(reference[i])) + 1e-9, $"softmax[{i}] = {a[i]:R}, expected {reference[i]:R}.");
        }

        Assert.Equal([7f, 7f], a[n..]);
        ActivationKernels.Softmax([float.NaN, 1f], a.AsSpan(0, 2));
        Assert.True(float.IsNaN(a[0]) && float.IsNaN(a[1]));
    }

    [Theory]
    [InlineData(1e4f)]
    [InlineData(1e30f)]
    [InlineData(3e38f)]
    public void Softmax_is_stable_for_huge_logits(float big)
    {
        // exp(big) overflows float for big > 88.7; the max-subtraction must keep the result exact.
        float[] z = [big, big - 1f, -big, big];
        var a = new float[4];

        ActivationKernels.Softmax(z, a);

        Assert.All(a, v => Assert.True(float.IsFinite(v)));
        if (big == 1e4f)
        {
            double e = Math.Exp(-1);
            Assert.Equal(1 / (2 + e), a[0], 1e-6);
            Assert.Equal(e / (2 + e), a[1], 1e-6);
            Assert.Equal(0f, a[2]);
            Assert.Equal(a[0], a[3]);
        }
        else
        {
            // big - 1 == big in float here: three equal maxima.
            Assert.Equal(1f / 3f, a[0], 1e-6f);
            Assert.Equal(0f, a[2]);
        }
    }

    [Fact]
    public void Softmax_is_invariant_to_a_shift_of_the_logits()
    {
        float[] z = [0.5f, -1.25f, 2f, 0f];
        float[] shifted = z.Select(v => v + 500f).ToArray();
        var a = new float[4];
        var b = new float[4];

        ActivationKernels.Softmax(z, a);
        ActivationKernels.Softmax(shifted, b);

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(a[i], b[i], 1e-6f);
        }
    }
}
