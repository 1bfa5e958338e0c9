using System.Globalization;

namespace L1Net.CustomRegularizer.Tests;

public class DeclaredL1Tests
{
    [Fact]
    public void Declares_its_whole_subgradient_and_adds_nothing()
    {
        var l1 = new DeclaredL1(0.25f);
        IRegularizer contract = l1;
        Assert.Equal(0.25f, contract.SignCoefficient);
        Assert.Equal(0f, contract.WeightDecay);
        Assert.False(contract.HasGradient);
        Assert.False(contract.HasProximalStep);
        Assert.Equal(RegularizerCoupling.None, contract.Coupling);
        Assert.Same(l1, contract.Bind(ParameterShape.ForWeights(0, 3, 2)));

        float[] w = [1f, -3f, 0f];
        float[] g = [0.5f, -0.5f, 2f];
        l1.AddGradient(w, g, ParameterShape.Vector(3));
        Assert.Equal([0.5f, -0.5f, 2f], g);
    }

    [Fact]
    public void Declared_subgradient_matches_finite_differences_of_the_penalty_away_from_zero()
    {
        // |w| is linear between kinks: with every value at least 0.05 from 0 a step of 0.01 is exact, and large against the
        // float rounding of the float-summed penalty (the built-in's SumOfMagnitudes).
        float[] w = [.. Reference.Values(37, seed: 2).Select(v => v + MathF.CopySign(0.05f, v == 0f ? 1f : v))];
        ParameterShape shape = ParameterShape.Vector(w.Length);
        var l1 = new DeclaredL1(0.3f);
        double[] numeric = Reference.PenaltyGradient(l1, w, shape, step: 0.01f);
        double[] analytic = Reference.SmoothGradient(l1, w, shape);
        Reference.AssertClose(numeric, analytic, relative: 1e-3);
        Assert.All(analytic, a => Assert.Equal(0.3, Math.Abs(a), 1e-7));
    }

    [Fact]
    public void Penalty_is_the_built_in_L1_penalty_to_the_bit()
    {
        float[] w = Reference.Values(101, seed: 4, scale: 3f);
        ParameterShape shape = ParameterShape.ForWeights(1, 101, 1);
        Assert.Equal(Regularizer.L1(0.0125f).Penalty(w, shape), new DeclaredL1(0.0125f).Penalty(w, shape));
        double exact = 0.0125f * w.Sum(v => Math.Abs((double)v));
        Assert.Equal(exact, new DeclaredL1(0.0125f).Penalty(w, shape), exact * 1e-6);
    }

    [Theory]
    [MemberData(nameof(Reference.Settings), MemberType = typeof(Reference))]
    public void Trains_to_the_built_in_L1_weights_bit_for_bit(string settingName)
    {
        Reference.Setting setting = Reference.SettingNamed(settingName);
        float[] builtIn = Reference.Train(Regularizer.L1(0.01f), setting);
        float[] none = Reference.Train(Regularizer.None, setting);
        Assert.NotEqual(none, builtIn); // the penalty does something in this setting

        Assert.Equal(builtIn, Reference.Train(new DeclaredL1(0.01f), setting));

        // Leaving HasGradient at its default (true) costs the empty AddGradient call, not the bits.
        var calledAnyway = new CalledAnyway(new DeclaredL1(0.01f));
        Assert.Equal(builtIn, Reference.Train(calledAnyway, setting));
        Assert.True(calledAnyway.Calls > 0);
    }

    /// <summary>Forwards every member but <see cref="IRegularizer.HasGradient"/>, which keeps its default (true).</summary>
    private sealed class CalledAnyway(DeclaredL1 inner) : IRegularizer
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Name => inner.Name;

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public float SignCoefficient => inner.SignCoefficient;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => inner.Penalty(values, shape);

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            Interlocked.Increment(ref _calls);
            inner.AddGradient(values, gradient, shape);
        }
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Rejects_a_strength_out_of_range_naming_it(float lambda)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DeclaredL1(lambda));
        Assert.Equal("lambda", error.ParamName);
    }

    [Fact]
    public void Name_is_the_same_in_every_culture()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("DeclaredL1(0.5)", new DeclaredL1(0.5f).Name);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
