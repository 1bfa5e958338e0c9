using System.Runtime.InteropServices;

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

    [Theory]
    [InlineData(10, 8, 4)]
    [InlineData(784, 256, 10)]
    [InlineData(1, 1, 2)]
    public void Parameters_start_on_a_cache_line_whatever_the_heap_did_before(int inputs, int hidden, int outputs)
    {
        // Kernels read the parameters in 64-byte vectors: an unaligned start splits every load across two cache lines, and
        // whether it did used to depend on where the garbage collector put the array (per process; measured 49 against 63 us
        // per a-1 epoch). Allocations of every size in between move the heap's next address.
        var keep = new List<object>();
        for (int shift = 0; shift < 16; shift++)
        {
            keep.Add(new byte[shift + 1]);
            DenseNetwork net = NetworkBuilder.Input(inputs).Dense(hidden, Activation.Tanh).Dense(outputs, Activation.Softmax).Build();
            Assert.Equal(0, AddressOf(net.ParameterStorage) % 64);
            Assert.Equal(net.ParameterCount, net.ParameterStorage.Count);
            Assert.Equal(0, AddressOf(net.Clone().ParameterStorage) % 64);
        }

        GC.KeepAlive(keep);
    }

    private static long AddressOf(ArraySegment<float> storage) =>
        Marshal.UnsafeAddrOfPinnedArrayElement(storage.Array!, storage.Offset).ToInt64();
}
