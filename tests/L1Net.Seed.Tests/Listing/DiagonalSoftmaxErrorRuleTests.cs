using L1Net.Seed;

namespace L1Net.Seed.Tests.Listing;

public class DiagonalSoftmaxErrorRuleTests
{
    [Fact]
    public void Is_the_diagonal_term_in_the_gradient_sign_convention()
    {
        float[] o = [0.1f, 0.6f, 0.3f];
        float[] t = [0f, 1f, 0f];
        float[] delta = new float[3];
        DiagonalSoftmaxErrorRule.Instance.ComputeOutputError(o, t, delta);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(o[k] * (1f - o[k]) * (o[k] - t[k]), delta[k], 1e-7f);
        }

        // Descent direction: the target unit's pre-activation must go up, so its gradient is negative.
        Assert.True(delta[1] < 0f);
        Assert.True(delta[0] > 0f && delta[2] > 0f);
    }

    [Fact]
    public void Differs_from_the_true_softmax_gradient()
    {
        float[] o = [0.1f, 0.6f, 0.3f];
        float[] t = [0f, 1f, 0f];
        float[] delta = new float[3];
        DiagonalSoftmaxErrorRule.Instance.ComputeOutputError(o, t, delta);

        // True squared-error gradient through softmax: o_k ((o_k - t_k) - sum_j (o_j - t_j) o_j).
        float s = 0f;
        for (int j = 0; j < 3; j++)
        {
            s += (o[j] - t[j]) * o[j];
        }

        float trueFirst = o[0] * ((o[0] - t[0]) - s);
        Assert.True(MathF.Abs(trueFirst - delta[0]) > 0.01f);
    }
}
