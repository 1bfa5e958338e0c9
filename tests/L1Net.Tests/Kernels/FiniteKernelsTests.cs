using L1Net.Kernels;

namespace L1Net.Tests.Kernels;

/// <summary>
/// The vectorized finiteness check behind every public entry point's input check: at every width, on lengths around the
/// vector and chunk sizes, it must find the first NaN or infinity wherever it is (vector block, scalar tail, second chunk),
/// and nothing in finite data (the largest floats, subnormals and signed zeros included).
/// </summary>
public class FiniteKernelsTests
{
    private static readonly VectorWidth[] Widths = [VectorWidth.Vector512, VectorWidth.Vector256, VectorWidth.Vector128, VectorWidth.Scalar];

    private static readonly float[] Bad = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00001))];

    public static TheoryData<int> Lengths() => new() { 1, 3, 15, 16, 17, 31, 32, 33, 64, 1023, 1024, 1025, 2049, 5000 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Finds_the_first_non_finite_value_at_any_position_and_width(int n)
    {
        float[] values = Finite(n);
        var positions = new SortedSet<int> { 0, n / 2, n - 1, Math.Min(n - 1, 15), Math.Min(n - 1, 1023), Math.Min(n - 1, 1024) };
        foreach (VectorWidth width in Widths)
        {
            Assert.Equal(-1, FiniteKernels.IndexOfNonFiniteAt(values, width));
            foreach (int p in positions)
            {
                foreach (float bad in Bad)
                {
                    float saved = values[p];
                    values[p] = bad;
                    Assert.Equal(p, FiniteKernels.IndexOfNonFiniteAt(values, width));

                    // A second bad value later does not change the answer.
                    if (p + 1 < n)
                    {
                        float last = values[n - 1];
                        values[n - 1] = float.NaN;
                        Assert.Equal(p, FiniteKernels.IndexOfNonFiniteAt(values, width));
                        values[n - 1] = last;
                    }

                    values[p] = saved;
                }
            }
        }

        Assert.Equal(-1, FiniteKernels.IndexOfNonFinite(values));
    }

    [Fact]
    public void Empty_input_has_no_non_finite_value()
    {
        foreach (VectorWidth width in Widths)
        {
            Assert.Equal(-1, FiniteKernels.IndexOfNonFiniteAt([], width));
        }
    }

    private static float[] Finite(int n)
    {
        float[] values = new float[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (i % 6) switch
            {
                0 => float.MaxValue,
                1 => -float.MaxValue,
                2 => float.Epsilon,
                3 => -0f,
                4 => 1e-40f,
                _ => i * 0.37f,
            };
        }

        return values;
    }
}
