using System.Runtime.Intrinsics;
using L1Net.Kernels;
using L1Net.Tests.Support;

namespace L1Net.Tests.Kernels;

public class FusedUpdateTests
{
    // Zeros of both signs, the smallest subnormals, ordinary and huge values and infinities: every pair (w, g) a plain step
    // can meet, where a zero's sign could leak through.
    private static readonly float[] Specials =
    [
        0f, -0f, float.Epsilon, -float.Epsilon, 1e-38f, -1e-38f, 0.25f, -0.25f, 1f, -1f, 3e38f, -3e38f,
        float.PositiveInfinity, float.NegativeInfinity,
    ];

    [Theory]
    [InlineData(0.05f)]
    [InlineData(1f)]
    [InlineData(1e-30f)]
    [InlineData(7f)]
    public void The_plain_step_equals_the_full_step_bit_for_bit_at_every_width(float rate)
    {
        var step = new FusedUpdate(rate, 0f, 0f);
        Assert.True(step.IsPlain);
        float[] w = [.. Specials.SelectMany(v => Specials.Select(_ => v)), .. new float[12]]; // 196 pairs, padded to 208
        float[] g = [.. Specials.SelectMany(_ => Specials), .. new float[12]];
        float[] expected = w.Zip(g, step.Apply).ToArray();

        // Widths the machine lacks run their software fallback: the same arithmetic, so the comparison still holds.
        Floats.AssertBitwiseEqual(expected, Run<ScalarOps, float>(step, w, g), "scalar");
        Floats.AssertBitwiseEqual(expected, Run<Vec128Ops, Vector128<float>>(step, w, g), "128-bit");
        Floats.AssertBitwiseEqual(expected, Run<Vec256Ops, Vector256<float>>(step, w, g), "256-bit");
        Floats.AssertBitwiseEqual(expected, Run<Vec512Ops, Vector512<float>>(step, w, g), "512-bit");
    }

    [Theory]
    [InlineData(0.05f, 0.01f, 0f)]
    [InlineData(0.05f, 0f, 0.3f)]
    [InlineData(0.05f, 1e-38f, 0f)]
    [InlineData(0.5f, 0f, 2f)]
    public void A_step_with_a_sign_part_or_a_decay_is_not_plain(float rate, float l1, float l2) =>
        Assert.False(new FusedUpdate(rate, l1, l2).IsPlain);

    [Fact]
    public void A_sign_part_that_rounds_to_zero_leaves_the_step_plain_and_its_bits_unchanged()
    {
        // rate l1 underflows to 0: the full step's sign part is then a zero too, so the plain form is exact.
        var step = new FusedUpdate(0.05f, 1e-45f, 0f);
        Assert.True(step.IsPlain);
        float[] w = [.. Specials.SelectMany(v => Specials.Select(_ => v)), .. new float[12]];
        float[] g = [.. Specials.SelectMany(_ => Specials), .. new float[12]];
        Floats.AssertBitwiseEqual(w.Zip(g, step.Apply).ToArray(), Run<Vec256Ops, Vector256<float>>(step, w, g), "256-bit");
    }

    /// <summary><see cref="FusedUpdate.ApplyPlain{TOps, TVec}(TVec, TVec)"/> over the whole arrays, whole vectors of the width (the arrays are padded to a multiple of 16).</summary>
    private static float[] Run<TOps, TVec>(FusedUpdate step, float[] w, float[] g)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        var result = new float[w.Length];
        for (int i = 0; i < w.Length; i += TOps.Count)
        {
            TOps.Store(step.ApplyPlain<TOps, TVec>(TOps.Load(ref w[0], (nuint)i), TOps.Load(ref g[0], (nuint)i)), ref result[0], (nuint)i);
        }

        return result;
    }
}
