using L1Net.Seed;

namespace L1Net.Seed.Tests.Listing;

public class PublishedL1RegularizerTests
{
    [Fact]
    public void A_step_moves_every_nonzero_weight_away_from_zero()
    {
        IRegularizer published = new PublishedL1Regularizer(0.001f);
        float[] w = [0.5f, -0.5f, 0f];
        float[] g = new float[3];
        var shape = ParameterShape.Vector(3);
        published.AddGradient(w, g, shape);
        Optimizer.Sgd(0.01f).Bind(shape).Step(w, g, shape, 1);
        Assert.Equal(0.5f + 1e-5f, w[0], 1e-9f);
        Assert.Equal(-0.5f - 1e-5f, w[1], 1e-9f);
        Assert.Equal(0f, w[2]);
    }

    [Fact]
    public void Is_L1Net_L1_with_the_opposite_sign()
    {
        float[] w = [0.25f, -2f, 0f, 3f];
        float[] published = [0.1f, 0.2f, 0.3f, 0.4f];
        float[] correct = [0.1f, 0.2f, 0.3f, 0.4f];
        new PublishedL1Regularizer(0.01f).AddGradient(w, published, ParameterShape.Vector(4));
        IRegularizer l1 = Regularizer.L1(0.01f); // its subgradient is declared (SignCoefficient), not added by AddGradient
        l1.AddGradient(w, correct, ParameterShape.Vector(4));
        for (int i = 0; i < w.Length; i++)
        {
            correct[i] += w[i] == 0f ? 0f : MathF.CopySign(l1.SignCoefficient, w[i]);
        }

        float[] data = [0.1f, 0.2f, 0.3f, 0.4f];
        for (int i = 0; i < w.Length; i++)
        {
            Assert.Equal(data[i] - (correct[i] - data[i]), published[i], 1e-7f);
        }
    }

    [Fact]
    public void Penalty_is_the_function_it_descends()
    {
        float[] w = [0.25f, -2f, 0f];
        Assert.Equal(-0.01 * 2.25, new PublishedL1Regularizer(0.01f).Penalty(w, ParameterShape.Vector(3)), 1e-9);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Rejects_a_bad_lambda(float lambda) =>
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => new PublishedL1Regularizer(lambda)).ParamName);
}
