using L1Net.Kernels;
using L1Net.Tests.Support;

namespace L1Net.Tests.Kernels;

/// <summary>The dense layer's products against double-precision loops, on input widths around the vector widths.</summary>
public class DenseKernelsTests
{
    /// <summary>Float unit roundoff.</summary>
    private const double U = 1.0 / (1 << 24);

    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int inputs in Floats.Lengths.Where(n => n > 0))
        {
            data.Add(inputs, 1);
            data.Add(inputs, 3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_is_bias_plus_row_dot_input(int inputs, int outputs)
    {
        float[] w = Floats.RandomValues(inputs * outputs, seed: inputs);
        float[] b = Floats.RandomValues(outputs, seed: 10 + inputs);
        float[] x = Floats.RandomValues(inputs, seed: 20 + inputs, scale: 2f);
        var z = new float[outputs];

        SampleKernels.Forward(w, b, x, z);

        for (int o = 0; o < outputs; o++)
        {
            double exact = b[o], magnitude = Math.Abs(b[o]);
            for (int i = 0; i < inputs; i++)
            {
                exact += (double)w[(o * inputs) + i] * x[i];
                magnitude += Math.Abs((double)w[(o * inputs) + i] * x[i]);
            }

            // Standard bound of a float sum of n + 1 products, in any order: (n + 1) u sum |terms|.
            AssertNear(exact, z[o], (inputs + 2) * U * magnitude, $"z[{o}]");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardInput_is_the_transposed_product(int inputs, int outputs)
    {
        float[] w = Floats.RandomValues(inputs * outputs, seed: inputs);
        float[] delta = Floats.RandomValues(outputs, seed: 30 + inputs);
        delta[0] = 0f;
        float[] dx = Floats.RandomValues(inputs, seed: 40 + inputs);

        DenseKernels.BackwardInput(w, delta, dx);

        for (int i = 0; i < inputs; i++)
        {
            double exact = 0, magnitude = 0;
            for (int o = 0; o < outputs; o++)
            {
                exact += (double)w[(o * inputs) + i] * delta[o];
                magnitude += Math.Abs((double)w[(o * inputs) + i] * delta[o]);
            }

            AssertNear(exact, dx[i], (outputs + 1) * 2 * U * magnitude, $"dx[{i}]");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AccumulateGradient_from_zero_then_again_sums_the_outer_products(int inputs, int outputs)
    {
        float[] x1 = Floats.RandomValues(inputs, seed: 50 + inputs);
        float[] x2 = Floats.RandomValues(inputs, seed: 60 + inputs);
        float[] d1 = Floats.RandomValues(outputs, seed: 70 + inputs);
        float[] d2 = Floats.RandomValues(outputs, seed: 80 + inputs);
        d2[^1] = 0f;
        float[] gw = new float[inputs * outputs];
        float[] gb = new float[outputs];

        DenseKernels.AccumulateGradient(d1, x1, gw, gb);
        for (int o = 0; o < outputs; o++)
        {
            Assert.Equal(d1[o], gb[o]);
            for (int i = 0; i < inputs; i++)
            {
                Assert.Equal(d1[o] * x1[i], gw[(o * inputs) + i]);
            }
        }

        DenseKernels.AccumulateGradient(d2, x2, gw, gb);
        for (int o = 0; o < outputs; o++)
        {
            Assert.Equal(d1[o] + d2[o], gb[o]);
            for (int i = 0; i < inputs; i++)
            {
                double exact = ((double)d1[o] * x1[i]) + ((double)d2[o] * x2[i]);
                double magnitude = Math.Abs((double)d1[o] * x1[i]) + Math.Abs((double)d2[o] * x2[i]);
                AssertNear(exact, gw[(o * inputs) + i], 3 * U * magnitude, $"gW[{o}, {i}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Vector_and_scalar_paths_of_the_gradient_agree_bit_for_bit(int inputs, int outputs)
    {
        // The element-wise products must not depend on where an element falls (vector lane or tail).
        float[] x = Floats.RandomValues(inputs, seed: 5 + inputs);
        float[] d = Floats.RandomValues(outputs, seed: 6 + inputs);
        float[] start = Floats.RandomValues(inputs * outputs, seed: 7 + inputs);
        float[] whole = (float[])start.Clone();
        var gb = new float[outputs];
        DenseKernels.AccumulateGradient(d, x, whole, gb);

        float[] single = (float[])start.Clone();
        var gb1 = new float[1];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                DenseKernels.AccumulateGradient(d.AsSpan(o, 1), x.AsSpan(i, 1), single.AsSpan((o * inputs) + i, 1), gb1);
            }
        }

        Floats.AssertBitwiseEqual(single, whole, "AccumulateGradient");
    }

    private static void AssertNear(double expected, float actual, double tolerance, string what)
    {
        tolerance = Math.Max(tolerance, float.Epsilon);
        if (!(Math.Abs(actual - expected) <= tolerance))
        {
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R} (tolerance {tolerance:E3}).");
        }
    }
}
