namespace L1Net.Tests.Support;

/// <summary>Float helpers for exact-rounding assertions.</summary>
internal static class Floats
{
    /// <summary>Span lengths around every vector width (4, 8, 16 floats) and their multiples, plus 0 and 1.</summary>
    public static readonly int[] Lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65];

    public static TheoryData<int> LengthData()
    {
        var data = new TheoryData<int>();
        foreach (int n in Lengths)
        {
            data.Add(n);
        }

        return data;
    }

    /// <summary>The gap between |x| and the next larger float.</summary>
    public static double Ulp(double x)
    {
        float a = MathF.Abs((float)x);
        return MathF.BitIncrement(a) - a;
    }

    /// <summary>Asserts |actual - expected| &lt;= ulps units in the last place of the larger of the two (or of <paramref name="scale"/>).</summary>
    public static void AssertWithinUlps(double expected, float actual, double ulps, string what, double scale = 0)
    {
        double tolerance = ulps * Ulp(Math.Max(Math.Max(Math.Abs(expected), Math.Abs(actual)), Math.Abs(scale)));
        if (!(Math.Abs(actual - expected) <= tolerance))
        {
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(actual - expected):E3}, tolerance {ulps} ulp = {tolerance:E3}).");
        }
    }

    /// <summary>Bit-for-bit equality, with an index in the message.</summary>
    public static void AssertBitwiseEqual(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R}.");
            }
        }
    }

    /// <summary>
    /// Weights that exercise a shrinking step of size <paramref name="shrink"/>: exact zeros of both signs, values smaller
    /// than, equal to and larger than the step, of both signs, in a pattern that puts each kind in vector lanes and tails.
    /// </summary>
    public static float[] StepWeights(int n, float shrink, int seed)
    {
        var random = new Random(seed);
        var w = new float[n];
        for (int i = 0; i < n; i++)
        {
            float sign = random.Next(2) == 0 ? 1f : -1f;
            w[i] = (i % 7) switch
            {
                0 => 0f,
                1 => -0f,
                2 => sign * shrink * random.NextSingle(),
                3 => sign * shrink,
                4 => sign * shrink * (1f + random.NextSingle()),
                _ => sign * (0.01f + random.NextSingle()),
            };
        }

        return w;
    }

    public static float[] RandomValues(int n, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = scale * ((2f * random.NextSingle()) - 1f);
        }

        return v;
    }
}
