using L1Net.Tests.Support;

namespace L1Net.Tests.Regularization;

/// <summary>Penalties, gradients and names of the built-in regularizers against their documented formulas.</summary>
public class RegularizerTests
{
    private static readonly float[] Mixed = [0.5f, -1.25f, 0f, 3f, -0f, -0.001f, 2e-7f];

    public static TheoryData<int> Lengths() => Floats.LengthData();

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Penalties_match_the_plain_formulas(int n)
    {
        float[] w = Floats.RandomValues(n, seed: n, scale: 3f);
        double sumAbs = w.Sum(v => Math.Abs((double)v));
        double sumSq = w.Sum(v => (double)v * v);

        Assert.Equal(0.0, Regularizer.None.Penalty(w));
        AssertRelative(0.01 * sumAbs, Regularizer.L1(0.01f).Penalty(w));
        AssertRelative(0.5 * 0.2 * sumSq, Regularizer.L2(0.2f).Penalty(w));
        AssertRelative((0.01 * sumAbs) + (0.5 * 0.2 * sumSq), Regularizer.ElasticNet(0.01f, 0.2f).Penalty(w));
    }

    [Fact]
    public void Penalties_of_hand_computed_weights()
    {
        // sum |w| = 0.5 + 1.25 + 3 + 0.001 + 2e-7 = 4.7510002; sum w^2 = 0.25 + 1.5625 + 9 + 1e-6 + 4e-14 = 10.812501
        Assert.Equal(0.1 * 4.7510002, Regularizer.L1(0.1f).Penalty(Mixed), 1e-7);
        Assert.Equal(0.5 * 0.1 * 10.812501, Regularizer.L2(0.1f).Penalty(Mixed), 1e-7);
        Assert.Equal((0.1 * 4.7510002) + (0.5 * 0.1 * 10.812501), Regularizer.ElasticNet(0.1f, 0.1f).Penalty(Mixed), 1e-7);
    }

    [Fact]
    public void Zero_weights_have_zero_penalty_zero_subgradient_and_stay_zero()
    {
        float[] zeros = [0f, -0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f];
        foreach (IRegularizer r in All())
        {
            Assert.Equal(0.0, r.Penalty(zeros));

            float[] g = Floats.RandomValues(zeros.Length, seed: 1);
            float[] g0 = (float[])g.Clone();
            r.AddGradient(zeros, g);
            Assert.Equal(g0, g);

            float[] w = (float[])zeros.Clone();
            r.Update(w, new float[w.Length], 0.5f);
            Assert.All(w, v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void Negative_weights_are_penalized_by_magnitude_and_pulled_up()
    {
        float[] w = [-2f, -0.5f];
        float[] positive = [2f, 0.5f];
        foreach (IRegularizer r in All())
        {
            Assert.Equal(r.Penalty(positive), r.Penalty(w));
        }

        var g = new float[2];
        Regularizer.L1(0.1f).AddGradient(w, g);
        Assert.Equal([-0.1f, -0.1f], g);

        g = new float[2];
        Regularizer.L2(0.1f).AddGradient(w, g);
        Assert.Equal([-0.2f, -0.05f], g);

        g = new float[2];
        Regularizer.ElasticNet(0.1f, 0.1f).AddGradient(w, g);
        Assert.Equal(-0.3f, g[0], 1e-7f);
        Assert.Equal(-0.15f, g[1], 1e-7f);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Gradients_are_the_documented_subgradients(int n)
    {
        float[] w = Floats.StepWeights(n, 0.01f, seed: 3 + n);
        float[] g0 = Floats.RandomValues(n, seed: 4 + n);
        (IRegularizer R, double L1, double L2)[] cases = [(Regularizer.L1(0.03f), 0.03f, 0), (Regularizer.L2(0.7f), 0, 0.7f), (Regularizer.ElasticNet(0.03f, 0.7f), 0.03f, 0.7f)];
        foreach ((IRegularizer r, double l1, double l2) in cases)
        {
            float[] g = (float[])g0.Clone();
            r.AddGradient(w, g);
            for (int i = 0; i < n; i++)
            {
                double expected = g0[i] + (l1 * Math.Sign(w[i])) + (l2 * w[i]);
                Floats.AssertWithinUlps(expected, g[i], 2, $"{r.Name} gradient {i}", scale: Math.Abs(g0[i]) + l1 + Math.Abs(l2 * w[i]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ElasticNet_with_l2_zero_is_L1_and_with_l1_zero_is_L2(int n)
    {
        float[] w = Floats.StepWeights(n, 0.004f, seed: 11 + n);
        float[] g0 = Floats.RandomValues(n, seed: 12 + n);
        AssertSameRegularizer(Regularizer.L1(0.04f), Regularizer.ElasticNet(0.04f, 0f), w, g0);
        AssertSameRegularizer(Regularizer.L2(0.3f), Regularizer.ElasticNet(0f, 0.3f), w, g0);
    }

    [Fact]
    public void Zero_strength_regularizers_behave_as_none()
    {
        float[] w = Floats.RandomValues(33, seed: 5);
        float[] g0 = Floats.RandomValues(33, seed: 6);
        AssertSameRegularizer(Regularizer.None, Regularizer.L1(0f), w, g0);
        AssertSameRegularizer(Regularizer.None, Regularizer.L2(0f), w, g0);
        AssertSameRegularizer(Regularizer.None, Regularizer.ElasticNet(0f, 0f), w, g0);
    }

    [Fact]
    public void No_regularizer_leaves_gradients_and_weights_unchanged()
    {
        IRegularizer none = Regularizer.None;
        float[] w = Floats.RandomValues(17, seed: 8);
        float[] g = Floats.RandomValues(17, seed: 9);
        float[] w0 = (float[])w.Clone(), g0 = (float[])g.Clone();

        Assert.Equal(0.0, none.Penalty(w));
        none.AddGradient(w, g);
        none.AfterUpdate(w, 0.3f);
        Assert.Equal(g0, g);
        Assert.Equal(w0, w);

        // Update is then the plain step w -= rate * g.
        none.Update(w, g, 0.5f);
        for (int i = 0; i < w.Length; i++)
        {
            Floats.AssertWithinUlps(w0[i] - (0.5 * g0[i]), w[i], 1, $"weight {i}", scale: Math.Max(Math.Abs(w0[i]), Math.Abs(0.5 * g0[i])));
        }
    }

    [Fact]
    public void Built_in_regularizers_leave_weights_alone_after_the_update()
    {
        float[] w = Floats.StepWeights(40, 0.01f, seed: 10);
        float[] w0 = (float[])w.Clone();
        foreach (IRegularizer r in All())
        {
            r.AfterUpdate(w, 0.1f);
        }

        Assert.Equal(w0, w);
    }

    [Fact]
    public void The_default_update_of_a_custom_regularizer_adds_its_gradient_then_steps()
    {
        IRegularizer custom = new ConstantPull(0.25f);
        float[] w = [1f, -2f, 0f];
        float[] g = [0.5f, 0.5f, -1f];

        custom.Update(w, g, 0.1f);

        Assert.Equal([1f - (0.1f * 0.75f), -2f - (0.1f * 0.75f), 0.1f * 0.75f], w);
    }

    [Fact]
    public void Names_are_invariant_and_ToString_returns_them()
    {
        using var scope = new CultureScope("de-DE");
        Assert.Equal("None", Regularizer.None.Name);
        Assert.Equal("L1(0.001)", Regularizer.L1(0.001f).Name);
        Assert.Equal("L2(0.5)", Regularizer.L2(0.5f).Name);
        Assert.Equal("ElasticNet(0.001, 0.25)", Regularizer.ElasticNet(0.001f, 0.25f).Name);
        Assert.Equal("L1(1E-05)", Regularizer.L1(1e-5f).Name);
        foreach (IRegularizer r in All())
        {
            Assert.Equal(r.Name, r.ToString());
        }
    }

    [Fact]
    public void The_factory_returns_the_documented_strategies()
    {
        Assert.Same(NoRegularizer.Instance, Regularizer.None);
        Assert.Equal(0.125f, Assert.IsType<L1Regularizer>(Regularizer.L1(0.125f)).Lambda);
        Assert.Equal(0.25f, Assert.IsType<L2Regularizer>(Regularizer.L2(0.25f)).Lambda);
        ElasticNetRegularizer en = Assert.IsType<ElasticNetRegularizer>(Regularizer.ElasticNet(0.5f, 0.75f));
        Assert.Equal((0.5f, 0.75f), (en.L1, en.L2));
    }

    private static IRegularizer[] All() =>
        [Regularizer.None, Regularizer.L1(0.05f), Regularizer.L2(0.05f), Regularizer.ElasticNet(0.05f, 0.05f)];

    private static void AssertSameRegularizer(IRegularizer expected, IRegularizer actual, float[] w, float[] g0)
    {
        Assert.Equal(expected.Penalty(w), actual.Penalty(w));

        float[] ge = (float[])g0.Clone(), ga = (float[])g0.Clone();
        expected.AddGradient(w, ge);
        actual.AddGradient(w, ga);
        Assert.Equal(ge, ga);

        float[] we = (float[])w.Clone(), wa = (float[])w.Clone();
        expected.Update(we, (float[])g0.Clone(), 0.1f);
        actual.Update(wa, (float[])g0.Clone(), 0.1f);
        Assert.Equal(we, wa);
    }

    private static void AssertRelative(double expected, double actual)
    {
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Max(1e-30, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");
    }

    /// <summary>dR/dw = c for every weight: implements only Penalty and AddGradient.</summary>
    private sealed class ConstantPull(float c) : IRegularizer
    {
        public string Name => "ConstantPull";

        public double Penalty(ReadOnlySpan<float> weights, ParameterShape shape)
        {
            double s = 0;
            foreach (float w in weights)
            {
                s += c * w;
            }

            return s;
        }

        public void AddGradient(ReadOnlySpan<float> weights, Span<float> gradient, ParameterShape shape)
        {
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] += c;
            }
        }
    }
}
