using L1Net.Tests.Support;

namespace L1Net.Tests.Activations;

/// <summary>Each activation as a network layer computes its documented formula, including at extreme inputs.</summary>
public class ActivationTests
{
    public static TheoryData<Activation> OutputActivations() => [Activation.Identity, Activation.Sigmoid, Activation.Softmax];

    public static TheoryData<Activation> HiddenActivations() => [Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.ReLU];

    [Theory]
    [MemberData(nameof(HiddenActivations))]
    public void A_hidden_layer_applies_its_formula_elementwise(Activation hidden)
    {
        // 3 -> 3 (hidden, W = I, b = 0) -> 3 identity (W = I, b = 0): the output is f(x).
        DenseNetwork network = NetworkBuilder.Input(3).Dense(3, hidden).Dense(3, Activation.Identity).Build();
        network.Parameters.Clear();
        for (int l = 0; l < 2; l++)
        {
            Span<float> w = network.GetWeights(l);
            w[0] = w[4] = w[8] = 1f;
        }

        float[] x = [-2.5f, 0.3f, 60f];
        var o = new float[3];
        network.Predict(x, o);

        double[] expected = ReferenceModel.Activate(hidden, ReferenceModel.ToDouble(x));
        for (int k = 0; k < 3; k++)
        {
            Assert.True(Math.Abs(o[k] - expected[k]) <= Math.Max(4 * Floats.Ulp(expected[k]), 1e-7), $"{hidden}({x[k]}) = {o[k]:R}, expected {expected[k]:R}.");
        }
    }

    [Theory]
    [MemberData(nameof(OutputActivations))]
    public void Output_layers_stay_finite_for_huge_pre_activations(Activation output)
    {
        // Weights of 1e30 on inputs of +-1 give pre-activations of +-1e30: exp would overflow without care.
        DenseNetwork network = NetworkBuilder.Input(2).Dense(3, output).Build();
        float[] w = [1e30f, 0f, -1e30f, 0f, 0f, 1e30f];
        w.CopyTo(network.GetWeights(0));
        network.GetBiases(0).Clear();
        var o = new float[3];

        network.Predict([1f, -1f], o);

        switch (output)
        {
            case Activation.Softmax:
                // z = (1e30, -1e30, -1e30): all mass on the first unit.
                Assert.Equal([1f, 0f, 0f], o);
                break;
            case Activation.Sigmoid:
                Assert.Equal([1f, 0f, 0f], o);
                break;
            default:
                Assert.Equal([1e30f, -1e30f, -1e30f], o);
                break;
        }
    }

    [Fact]
    public void Softmax_output_of_a_network_sums_to_one_and_matches_the_formula()
    {
        DenseNetwork network = NetworkBuilder.Input(2).Dense(4, Activation.Softmax).Build();
        float[] x = [0.5f, -1f];
        var o = new float[4];

        network.Predict(x, o);

        double[] p = ReferenceModel.ToDouble(network.Parameters);
        double[] expected = ReferenceModel.Forward(network.Layers, p, x, out _);
        Assert.Equal(1.0, o.Sum(v => (double)v), 1e-6);
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(expected[k], o[k], 1e-6);
        }
    }
}
