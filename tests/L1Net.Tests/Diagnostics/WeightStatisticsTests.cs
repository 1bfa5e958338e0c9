namespace L1Net.Tests.Diagnostics;

/// <summary>Weight statistics against hand-computed values (norms are summed in float per span: compared to 1e-6).</summary>
public class WeightStatisticsTests
{
    [Fact]
    public void Statistics_of_a_span()
    {
        float[] values = [0f, -0f, -0.0005f, 0.002f, -3f, 0.001f];

        WeightStatistics s = WeightStatistics.FromValues(values);

        Assert.Equal(6, s.Count);
        Assert.Equal(3.0035, s.L1Norm, 1e-6);
        Assert.Equal(Math.Sqrt((0.0005 * 0.0005) + (0.002 * 0.002) + 9 + (0.001 * 0.001)), s.L2Norm, 1e-6);
        Assert.Equal(1e-3f, s.Threshold);
        Assert.Equal(3, s.BelowThreshold);   // 0, -0, -0.0005; 0.001 is not below 0.001
        Assert.Equal(2, s.ExactZeros);       // -0 is zero
    }

    [Fact]
    public void A_zero_threshold_counts_nothing_as_near_zero()
    {
        WeightStatistics s = WeightStatistics.FromValues([0f, 1f], threshold: 0f);

        Assert.Equal(0, s.BelowThreshold);
        Assert.Equal(1, s.ExactZeros);
    }

    [Fact]
    public void An_empty_span_has_empty_statistics()
    {
        WeightStatistics s = WeightStatistics.FromValues(ReadOnlySpan<float>.Empty, 0.5f);

        Assert.Equal(new WeightStatistics { Threshold = 0.5f }, s);
    }

    [Fact]
    public void Statistics_of_a_network_count_weights_and_biases_only_when_asked()
    {
        // Layer 0: W = [1, 0; -2, 1e-4], b = [0, 5]; layer 1: W = [0.5, -0.5], b = [-1e-5].
        DenseNetwork network = NetworkBuilder.Input(2).Dense(2, Activation.Tanh).Dense(1, Activation.Identity).Build();
        float[] parameters = [1f, 0f, -2f, 1e-4f, 0f, 5f, 0.5f, -0.5f, -1e-5f];
        parameters.CopyTo(network.Parameters);

        WeightStatistics weights = WeightStatistics.Compute(network);
        WeightStatistics all = WeightStatistics.Compute(network, threshold: 1e-3f, includeBiases: true);
        WeightStatistics loose = WeightStatistics.Compute(network, threshold: 0.6f);

        Assert.Equal(6, weights.Count);
        Assert.Equal(4.0001, weights.L1Norm, 1e-6);
        Assert.Equal(Math.Sqrt(1 + 4 + 1e-8 + 0.25 + 0.25), weights.L2Norm, 1e-6);
        Assert.Equal(2, weights.BelowThreshold);
        Assert.Equal(1, weights.ExactZeros);

        Assert.Equal(9, all.Count);
        Assert.Equal(9.00011, all.L1Norm, 1e-6);
        Assert.Equal(Math.Sqrt(1 + 4 + 1e-8 + 0.25 + 0.25 + 25 + 1e-10), all.L2Norm, 1e-6);
        Assert.Equal(4, all.BelowThreshold);
        Assert.Equal(2, all.ExactZeros);

        Assert.Equal(4, loose.BelowThreshold);   // 0, 1e-4, 0.5, -0.5
        Assert.Equal(0.6f, loose.Threshold);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_non_finite_value_is_refused_naming_the_parameter_and_the_element(float bad)
    {
        // It used to return NaN or infinite norms without complaint, hiding what the other values say.
        var e = Assert.Throws<ArgumentException>("values", () => WeightStatistics.FromValues([0.5f, 0f, bad, 1f]));
        Assert.Contains("element 2 is", e.Message, StringComparison.Ordinal);

        DenseNetwork network = NetworkBuilder.Input(2).Dense(2, Activation.Tanh).Dense(1, Activation.Identity).Build();
        network.GetBiases(1)[0] = bad;
        Assert.Equal(0, WeightStatistics.Compute(network).ExactZeros); // biases are not counted by default: no complaint
        e = Assert.Throws<ArgumentException>("network", () => WeightStatistics.Compute(network, includeBiases: true));
        Assert.Contains("layer 1 biases must be finite, but element 0 is", e.Message, StringComparison.Ordinal);

        network.GetWeights(0)[3] = bad;
        e = Assert.Throws<ArgumentException>("network", () => WeightStatistics.Compute(network));
        Assert.Contains("layer 0 weights must be finite, but element 3 is", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Finite_values_whose_float_sums_overflow_have_finite_norms()
    {
        // 3e38 twice: |w| sums to 6e38 and w^2 to 1.8e77, beyond float (they were infinite).
        WeightStatistics s = WeightStatistics.FromValues([3e38f, -3e38f, 0f]);

        double l1 = 2 * (double)3e38f, l2 = Math.Sqrt(2) * 3e38f;
        Assert.Equal(l1, s.L1Norm, 1e-9 * l1);
        Assert.Equal(l2, s.L2Norm, 1e-9 * l2);
        Assert.Equal(1, s.ExactZeros);
    }
}
