namespace L1Net.Tests.Regularization;

public class CumulativeL1RegularizerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(21)]
    public void Minus_zero_becomes_plus_zero_bit_for_bit_in_every_lane_and_the_tail(int length)
    {
        // docs/sparsity.md: the clip writes +0, never -0. Every position holds -0.0 once (vector lanes and scalar tail),
        // the others hold values the clip leaves nonzero or sets to zero; NaN must stay NaN.
        for (int at = 0; at < length; at++)
        {
            IRegularizer bound = Regularizer.CumulativeL1(0.1f).Bind(length);
            float[] w = new float[length];
            for (int i = 0; i < length; i++)
            {
                w[i] = i % 3 == 0 ? 2f : i % 3 == 1 ? -0.001f : -0.0f;
            }

            w[at] = -0.0f;
            bound.AfterUpdate(w, 0.5f);

            Assert.Equal(0u, BitConverter.SingleToUInt32Bits(w[at]));
            for (int i = 0; i < length; i++)
            {
                Assert.False(BitConverter.SingleToUInt32Bits(w[i]) == 0x8000_0000u, $"-0 at {i} (length {length})");
            }

            // A second step keeps them +0.
            bound.AfterUpdate(w, 0.5f);
            Assert.Equal(0u, BitConverter.SingleToUInt32Bits(w[at]));
        }
    }

    [Fact]
    public void NaN_stays_NaN_so_divergence_is_still_seen()
    {
        IRegularizer bound = Regularizer.CumulativeL1(0.1f).Bind(12);
        float[] w = new float[12];
        w[3] = float.NaN;
        w[10] = float.NaN;
        bound.AfterUpdate(w, 0.5f);
        Assert.True(float.IsNaN(w[3]) && float.IsNaN(w[10]));
    }

    [Fact]
    public void A_weight_kicked_off_zero_first_pays_the_penalty_it_was_spared()
    {
        // lambda 1, rate 0.1: u grows by 0.1 per step.
        IRegularizer r = Regularizer.CumulativeL1(1f).Bind(1);
        float[] w = [0.05f];

        r.AfterUpdate(w, 0.1f);          // u = 0.1: 0.05 is clipped at 0, q = -0.05 (only 0.05 applied)
        Assert.Equal(0f, w[0]);

        w[0] = 0.12f;                    // a data step kicks it to 0.12
        r.AfterUpdate(w, 0.1f);          // u = 0.2: 0.12 - (0.2 - 0.05) < 0, clipped again
        Assert.Equal(0f, w[0]);

        // Plain soft-thresholding would have kept 0.12 - 0.1 = 0.02.
        float[] p = [0.12f];
        Regularizer.ProximalL1(1f).AfterUpdate(p, 0.1f);
        Assert.Equal(0.02f, p[0], 6);
    }

    [Fact]
    public void With_steady_weights_it_shrinks_like_soft_thresholding()
    {
        IRegularizer r = Regularizer.CumulativeL1(0.5f).Bind(3);
        float[] w = [1f, -1f, 0f];
        for (int step = 0; step < 4; step++)
        {
            r.AfterUpdate(w, 0.1f);
        }

        Assert.Equal(0.8f, w[0], 6);
        Assert.Equal(-0.8f, w[1], 6);
        Assert.Equal(0f, w[2]);
    }

    [Fact]
    public void Every_bind_starts_from_fresh_state()
    {
        var owner = new CumulativeL1Regularizer(1f);
        IRegularizer first = owner.Bind(1);
        float[] w = [0.05f];
        first.AfterUpdate(w, 0.1f);
        w[0] = 0.12f;
        first.AfterUpdate(w, 0.1f);
        Assert.Equal(0f, w[0]);

        IRegularizer second = owner.Bind(1);
        Assert.NotSame(first, second);
        w[0] = 0.12f;
        second.AfterUpdate(w, 0.1f);     // fresh: u = 0.1, q = 0
        Assert.Equal(0.02f, w[0], 6);
    }

    [Fact]
    public void The_unbound_regularizer_refuses_to_apply_a_stateful_step() =>
        Assert.Throws<InvalidOperationException>(() => Regularizer.CumulativeL1(0.1f).AfterUpdate(new float[3], 0.1f));

    [Fact]
    public void A_bound_regularizer_refuses_a_block_of_another_matrix_or_of_another_length()
    {
        IRegularizer bound = Regularizer.CumulativeL1(0.1f).Bind(3);
        Assert.Throws<ArgumentException>("shape", () => bound.AfterUpdate(new float[4], 0.1f));
        Assert.Throws<ArgumentException>("values", () => bound.ApplyProximal(new float[2], [0.1f], ParameterShape.Vector(3)));
    }

    [Fact]
    public void An_empty_shape_is_rejected_before_anything_is_bound() =>
        Assert.Throws<ArgumentOutOfRangeException>("length", () => Regularizer.CumulativeL1(0.1f).Bind(0));

    [Fact]
    public void Penalty_and_gradient_are_those_of_L1_with_the_smooth_part_empty()
    {
        IRegularizer r = Regularizer.CumulativeL1(0.25f);
        IRegularizer bound = r.Bind(4);
        float[] w = [1f, -2.5f, 0f, 3f];
        Assert.Equal(0.25 * 6.5, r.Penalty(w), 6);
        Assert.Equal(r.Penalty(w), bound.Penalty(w));
        float[] g = [1f, 1f, 1f, 1f];
        bound.AddGradient(w, g);
        Assert.Equal([1f, 1f, 1f, 1f], g);
        Assert.Equal("CumulativeL1(0.25)", bound.Name);
    }

    [Theory]
    [InlineData(-0.5f)]
    [InlineData(float.NegativeInfinity)]
    public void Rejects_a_bad_lambda(float lambda) =>
        Assert.Throws<ArgumentOutOfRangeException>("lambda", () => Regularizer.CumulativeL1(lambda));
}
