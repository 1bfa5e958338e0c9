namespace L1Net.Tests.Regularization;

public class ProximalElasticNetRegularizerTests
{
    [Fact]
    public void Applies_weight_decay_in_the_step_then_soft_thresholds()
    {
        IRegularizer r = Regularizer.ProximalElasticNet(0.5f, 2f);
        float[] w = [1f, -1f, 0.05f];
        float[] g = [0f, 0f, 0f];

        r.Update(w, g, 0.1f);      // w * (1 - 0.1 * 2) = 0.8 w
        r.AfterUpdate(w, 0.1f);    // then minus 0.05 towards zero

        Assert.Equal(0.75f, w[0], 6);
        Assert.Equal(-0.75f, w[1], 6);
        Assert.Equal(0f, w[2]);
    }

    [Fact]
    public void AddGradient_is_the_smooth_part_only()
    {
        float[] g = [0f, 0f];
        Regularizer.ProximalElasticNet(0.5f, 2f).AddGradient([1f, -3f], g);
        Assert.Equal([2f, -6f], g);
    }

    [Fact]
    public void Penalty_is_the_whole_elastic_net_penalty() =>
        Assert.Equal((0.5 * 3) + (0.5 * 2 * 5), Regularizer.ProximalElasticNet(0.5f, 2f).Penalty([1f, -2f]), 6);

    [Fact]
    public void With_no_L2_it_trains_exactly_as_proximal_L1()
    {
        Dataset data = SparsityProblem.Create(60, 1);
        float[] a = Train(data, Regularizer.ProximalElasticNet(0.02f, 0f));
        float[] b = Train(data, Regularizer.ProximalL1(0.02f));
        Assert.Equal(b, a);
    }

    [Fact]
    public void With_no_L1_it_trains_as_L2()
    {
        // Same update. Both now run in the trainer's fused per-sample loop (the proximal form adds a soft-threshold by 0,
        // which can only turn -0 into +0); the tolerance is kept so the test does not depend on which path runs.
        Dataset data = SparsityProblem.Create(60, 1);
        float[] a = Train(data, Regularizer.ProximalElasticNet(0f, 0.01f));
        float[] b = Train(data, Regularizer.L2(0.01f));
        Assert.Equal(b.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(MathF.Abs(a[i] - b[i]) <= 1e-4f * MathF.Max(1f, MathF.Abs(b[i])), $"parameter {i}: {a[i]} vs {b[i]}");
        }
    }

    [Theory]
    [InlineData(-1f, 0f, "l1")]
    [InlineData(0f, float.NaN, "l2")]
    public void Rejects_a_bad_strength(float l1, float l2, string name) =>
        Assert.Throws<ArgumentOutOfRangeException>(name, () => Regularizer.ProximalElasticNet(l1, l2));

    [Fact]
    public void Describes_itself() => Assert.Equal("ProximalElasticNet(0.5, 0.25)", Regularizer.ProximalElasticNet(0.5f, 0.25f).Name);

    private static float[] Train(Dataset data, IRegularizer regularizer)
    {
        DenseNetwork net = SparsityProblem.Network();
        new BackPropTrainer(new TrainerOptions { Epochs = 5, LearningRate = 0.1f, Seed = 2 }, regularizer).Train(net, data);
        return net.Parameters.ToArray();
    }
}
