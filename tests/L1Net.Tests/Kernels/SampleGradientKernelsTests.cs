using L1Net.Kernels;

namespace L1Net.Tests.Kernels;

public class SampleGradientKernelsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(5, 7)]
    [InlineData(4, 8)]
    [InlineData(2, 15)]
    [InlineData(3, 16)]
    [InlineData(6, 17)]
    [InlineData(2, 33)]
    [InlineData(3, 64)]
    public void One_sweep_equals_the_separate_backward_and_gradient_kernels_bit_for_bit(int outputs, int inputs)
    {
        var random = new Random(42);
        float[] w = Enumerable.Range(0, outputs * inputs).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] x = Enumerable.Range(0, inputs).Select(_ => (float)random.NextDouble()).ToArray();
        float[] delta = Enumerable.Range(0, outputs).Select(o => o == 1 ? 0f : (float)(random.NextDouble() - 0.5)).ToArray();

        float[] belowExpected = new float[inputs], gwExpected = new float[w.Length], gbExpected = new float[outputs];
        DenseKernels.BackwardInput(w, delta, belowExpected);
        for (int o = 0; o < outputs; o++)
        {
            gbExpected[o] = delta[o];
            for (int i = 0; i < inputs; i++)
            {
                gwExpected[(o * inputs) + i] = delta[o] * x[i];
            }
        }

        float[] below = Enumerable.Repeat(9f, inputs).ToArray(), gw = new float[w.Length], gb = new float[outputs];
        SampleGradientKernels.BackwardAndGradient(w, delta, x, below, gw, gb);

        Assert.Equal(belowExpected, below);
        Assert.Equal(gwExpected, gw);
        Assert.Equal(gbExpected, gb);
    }

    [Fact]
    public void An_infinite_weight_behind_a_zero_error_sends_no_NaN_down()
    {
        float[] w = [float.PositiveInfinity, 1f];
        float[] below = new float[2];
        SampleGradientKernels.BackwardAndGradient(w, [0f], [1f, 2f], below, new float[2], new float[1]);
        Assert.Equal([0f, 0f], below);
    }

    [Fact]
    public void The_first_layer_computes_only_the_gradient()
    {
        float[] gw = new float[2], gb = new float[1];
        SampleGradientKernels.BackwardAndGradient([1f, 2f], [0.5f], [3f, 4f], [], gw, gb);
        Assert.Equal([1.5f, 2f], gw);
        Assert.Equal([0.5f], gb);
    }
}
