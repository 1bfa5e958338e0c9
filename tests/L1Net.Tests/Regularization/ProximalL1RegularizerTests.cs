namespace L1Net.Tests.Regularization;

public class ProximalL1RegularizerTests
{
    [Fact]
    public void A_step_with_zero_data_gradient_shrinks_every_weight_by_rate_times_lambda_and_stops_at_zero()
    {
        IRegularizer r = Regularizer.ProximalL1(0.5f);
        float[] w = [1f, -1f, 0.04f, -0.05f, 0f, 0.05f, 2f, -3f, 0.3f];
        float[] g = new float[w.Length];

        r.Update(w, g, 0.1f);
        r.AfterUpdate(w, 0.1f);

        Assert.Equal([0.95f, -0.95f, 0f, 0f, 0f, 0f, 1.95f, -2.95f, 0.25f], w);
    }

    [Fact]
    public void Update_is_the_plain_data_step_and_AddGradient_adds_nothing()
    {
        IRegularizer r = Regularizer.ProximalL1(0.5f);
        float[] w = [1f, -2f, 0f];
        float[] g = [0.5f, -1f, 2f];

        r.AddGradient(w, g);
        Assert.Equal([0.5f, -1f, 2f], g);

        r.Update(w, g, 0.1f);
        Assert.Equal([0.95f, -1.9f, -0.2f], w);
    }

    [Fact]
    public void Penalty_is_lambda_times_the_sum_of_magnitudes() =>
        Assert.Equal(0.25 * 6.5, Regularizer.ProximalL1(0.25f).Penalty([1f, -2.5f, 0f, 3f]), 6);

    [Fact]
    public void Is_stateless_so_Bind_returns_itself()
    {
        IRegularizer r = Regularizer.ProximalL1(0.1f);
        Assert.Same(r, r.Bind(10));
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Rejects_a_bad_lambda(float lambda) =>
        Assert.Throws<ArgumentOutOfRangeException>("lambda", () => Regularizer.ProximalL1(lambda));

    [Fact]
    public void Describes_itself() => Assert.Equal("ProximalL1(0.01)", Regularizer.ProximalL1(0.01f).Name);
}
