using L1Net.Kernels;

namespace L1Net.Tests.Kernels;

public class ProximalKernelsTests
{
    public static TheoryData<int> Lengths => new() { 0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SoftThreshold_matches_the_scalar_formula_on_every_vector_path(int length)
    {
        float[] w = RandomValues(length, seed: length);
        float[] expected = w.Select(v => MathF.Abs(v) <= 0.3f ? 0f : v - MathF.CopySign(0.3f, v)).ToArray();

        ProximalKernels.SoftThreshold(w, 0.3f);

        Assert.Equal(expected, w);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SoftThreshold_never_crosses_zero_never_grows_and_writes_positive_zero(int length)
    {
        float[] before = RandomValues(length, seed: 100 + length);
        float[] w = (float[])before.Clone();

        ProximalKernels.SoftThreshold(w, 0.25f);

        for (int i = 0; i < length; i++)
        {
            Assert.True(w[i] * before[i] >= 0f, $"element {i} crossed zero: {before[i]} -> {w[i]}");
            Assert.True(MathF.Abs(w[i]) <= MathF.Abs(before[i]));
            if (w[i] == 0f)
            {
                Assert.False(float.IsNegative(w[i]), $"element {i} is -0");
            }
        }
    }

    [Fact]
    public void SoftThreshold_keeps_NaN_so_divergence_stays_visible()
    {
        float[] w = Enumerable.Repeat(0.1f, 20).ToArray();
        w[3] = float.NaN;
        w[19] = float.NaN;

        ProximalKernels.SoftThreshold(w, 1f);

        Assert.True(float.IsNaN(w[3]));
        Assert.True(float.IsNaN(w[19]));
        Assert.Equal(0f, w[0]);
    }

    private static float[] RandomValues(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
