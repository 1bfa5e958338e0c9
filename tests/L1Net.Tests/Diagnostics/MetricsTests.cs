namespace L1Net.Tests.Diagnostics;

/// <summary>Metrics on networks whose outputs are known by hand.</summary>
public class MetricsTests
{
    private static readonly float Ln3 = MathF.Log(3f);

    /// <summary>2 -> 2 with W = I and b = 0: the output is f(input).</summary>
    private static DenseNetwork IdentityWeights(Activation output)
    {
        DenseNetwork network = NetworkBuilder.Input(2).Dense(2, output).Build();
        network.Parameters.Clear();
        network.GetWeights(0)[0] = 1f;
        network.GetWeights(0)[3] = 1f;
        return network;
    }

    [Fact]
    public void Accuracy_counts_rows_whose_first_largest_output_is_the_label()
    {
        // Outputs equal the inputs: predictions 0, 1, 0, and 0 for the tie (first largest).
        Dataset data = Dataset.FromLabels(new float[,] { { 0.9f, 0.1f }, { 0.2f, 0.8f }, { 0.6f, 0.4f }, { 0.5f, 0.5f } }, [0, 1, 1, 0], 2);

        Assert.Equal(0.75, Metrics.Accuracy(IdentityWeights(Activation.Identity), data));
        Assert.Equal(0.0, Metrics.Accuracy(IdentityWeights(Activation.Identity), Dataset.FromLabels(new float[,] { { 0.5f, 0.5f } }, [1], 2)));
    }

    [Fact]
    public void Mean_squared_error_is_the_mean_summed_squared_error_and_mean_loss_half_of_it()
    {
        Dataset data = Dataset.FromLabels(new float[,] { { 0.9f, 0.1f }, { 0.2f, 0.8f }, { 0.6f, 0.4f }, { 0.5f, 0.5f } }, [0, 1, 1, 0], 2);
        DenseNetwork network = IdentityWeights(Activation.Identity);

        // Rows: 0.01 + 0.01, 0.04 + 0.04, 0.36 + 0.36, 0.25 + 0.25 -> 1.32 / 4.
        Assert.Equal(0.33, Metrics.MeanSquaredError(network, data), 1e-6);
        Assert.Equal(0.165, Metrics.MeanLoss(network, data, LossFunction.SquaredError), 1e-6);
    }

    [Fact]
    public void Cross_entropy_of_a_softmax_output()
    {
        // softmax(0, ln 3) = (1/4, 3/4); label 1 costs -ln 3/4, and softmax(ln 3, 0) with label 1 costs -ln 1/4.
        Dataset data = Dataset.FromLabels(new float[,] { { 0f, Ln3 }, { Ln3, 0f } }, [1, 1], 2);
        DenseNetwork network = IdentityWeights(Activation.Softmax);
        double expected = -(Math.Log(0.75) + Math.Log(0.25)) / 2;

        Assert.Equal(expected, Metrics.CrossEntropy(network, data), 1e-6);
        Assert.Equal(expected, Metrics.MeanLoss(network, data, LossFunction.CrossEntropy), 1e-6);
        Assert.Equal(0.5, Metrics.Accuracy(network, data));
    }

    [Fact]
    public void Cross_entropy_of_a_sigmoid_output_is_the_summed_binary_cross_entropy()
    {
        // sigmoid(ln 3) = 3/4, sigmoid(-ln 3) = 1/4; targets (1, 0) cost -2 ln 3/4, targets (0.5, 0.5) cost -(ln 3/4 + ln 1/4).
        Dataset data = Dataset.FromTargets(new float[,] { { Ln3, -Ln3 }, { Ln3, -Ln3 } }, new float[,] { { 1f, 0f }, { 0.5f, 0.5f } });
        DenseNetwork network = IdentityWeights(Activation.Sigmoid);
        double expected = ((-2 * Math.Log(0.75)) - (Math.Log(0.75) + Math.Log(0.25))) / 2;

        Assert.Equal(expected, Metrics.CrossEntropy(network, data), 1e-6);
        Assert.Equal(expected, Metrics.MeanLoss(network, data, LossFunction.CrossEntropy), 1e-6);
    }
}
