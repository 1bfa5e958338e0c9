namespace L1Net.Tests.Networks;

public class NetworkBuilderTests
{
    [Fact]
    public void Builds_the_seed_shape_with_the_documented_layout()
    {
        DenseNetwork net = NetworkBuilder.Input(10).Dense(8, Activation.Tanh).Dense(4, Activation.Softmax).Build();

        Assert.Equal(10, net.InputSize);
        Assert.Equal(4, net.OutputSize);
        Assert.Equal((10 * 8) + 8 + (8 * 4) + 4, net.ParameterCount);
        Assert.Equal(new LayerInfo(10, 8, Activation.Tanh, 0), net.Layers[0]);
        Assert.Equal(new LayerInfo(8, 4, Activation.Softmax, 88), net.Layers[1]);
        Assert.Equal(80, net.Layers[0].BiasOffset);
        Assert.Equal(124, net.Layers[1].BiasOffset + 4);
    }
}
