using L1Net.Kernels;
using L1Net.Tests.Support;

namespace L1Net.Tests.Networks;

/// <summary>
/// The two layouts of the batched forward product (<c>FeedForward.RunBatch</c>, behind <c>PredictBatch</c>): the
/// transposed one (<c>Z^T = W X^T</c>, inputs transposed per block) and the row-major one (<c>Z = X W^T</c>, weights packed
/// per call) multiply the same pairs of floats in the same chain order, so they must give the same bits at every width
/// (this test runs under each CI instruction-set setting).
/// </summary>
public class BatchLayoutTests
{
    public static TheoryData<int, int[], Activation[], int> Shapes() => new()
    {
        { 37, [40, 21, 10], [Activation.ReLU, Activation.Tanh, Activation.Softmax], 1 },
        { 37, [40, 21, 10], [Activation.ReLU, Activation.Tanh, Activation.Softmax], 7 },
        { 37, [40, 21, 10], [Activation.ReLU, Activation.Tanh, Activation.Softmax], 301 },
        { 13, [17, 3], [Activation.Tanh, Activation.Sigmoid], 129 },
        { 20, [33, 5], [Activation.ReLU, Activation.Identity], 200 },
        { 20, [32, 16], [Activation.Tanh, Activation.Identity], 97 },
        { 20, [31, 16], [Activation.Identity, Activation.Identity], 193 },
        { 5, [3], [Activation.Softmax], 50 },
        { 6, [1], [Activation.Sigmoid], 11 },
        { 784, [256, 10], [Activation.Tanh, Activation.Softmax], 500 },
        { 300, [70, 30, 2], [Activation.Tanh, Activation.ReLU, Activation.Softmax], 401 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Row_major_and_transposed_layouts_give_the_same_bits(int inputs, int[] units, Activation[] activations, int rows)
    {
        DenseNetwork network = Network(inputs, units, activations);
        LayerInfo[] layers = network.Layers.ToArray();
        float[] x = Rows(rows, inputs, rows + inputs);
        int outputs = units[^1];
        var transposed = new float[rows * outputs];
        var rowMajor = new float[rows * outputs];
        FeedForward.RunBatchIn(layers, network.Parameters, x, transposed, inputs, outputs, BatchLayout.Transposed);
        FeedForward.RunBatchIn(layers, network.Parameters, x, rowMajor, inputs, outputs, BatchLayout.RowMajor);
        Assert.All(transposed, v => Assert.True(float.IsFinite(v)));
        Floats.AssertBitwiseEqual(transposed, rowMajor, $"{network} on {rows} rows at {(int)KernelWidths.Gemm * 32} bits");

        // And a row alone (the transposed layout, as PredictBatch chooses for one row) against its place in the batch.
        var one = new float[outputs];
        foreach (int r in new[] { 0, rows / 2, rows - 1 })
        {
            network.PredictBatch(x.AsSpan(r * inputs, inputs), one);
            Floats.AssertBitwiseEqual(one, rowMajor.AsSpan(r * outputs, outputs), $"row {r} alone");
        }
    }

    [Fact]
    public void Row_major_layout_reads_each_call_s_weights()
    {
        // The packed W^T is rebuilt per call: a write through Parameters between calls shows in the next call.
        DenseNetwork network = Network(784, [256, 10], [Activation.Tanh, Activation.Softmax]);
        float[] x = Rows(300, 784, 3);
        var before = new float[300 * 10];
        var after = new float[300 * 10];
        var expected = new float[300 * 10];
        LayerInfo[] layers = network.Layers.ToArray();
        FeedForward.RunBatchIn(layers, network.Parameters, x, before, 784, 10, BatchLayout.RowMajor);
        network.Parameters[layers[0].WeightOffset + 5] += 0.5f;
        network.Parameters[layers[1].BiasOffset + 3] -= 0.25f;
        FeedForward.RunBatchIn(layers, network.Parameters, x, after, 784, 10, BatchLayout.RowMajor);
        FeedForward.RunBatchIn(layers, network.Parameters, x, expected, 784, 10, BatchLayout.Transposed);
        Assert.False(before.AsSpan().SequenceEqual(after));
        Floats.AssertBitwiseEqual(expected, after, "after a write through Parameters");
    }

    [Fact]
    public void Layout_rule_takes_the_row_major_layout_for_large_batches_of_fused_activations()
    {
        LayerInfo[] mnist = Network(784, [256, 10], [Activation.Tanh, Activation.Softmax]).Layers.ToArray();
        Assert.Equal(BatchLayout.Transposed, FeedForward.ChooseLayout(mnist, 1));
        Assert.Equal(BatchLayout.Transposed, FeedForward.ChooseLayout(mnist, 128));
        Assert.Equal(BatchLayout.RowMajor, FeedForward.ChooseLayout(mnist, 10_000));

        // A sigmoid hidden layer is not applied in the tile: the transposed layout keeps its whole-row activation.
        LayerInfo[] sigmoid = Network(784, [256, 10], [Activation.Sigmoid, Activation.Softmax]).Layers.ToArray();
        Assert.Equal(BatchLayout.Transposed, FeedForward.ChooseLayout(sigmoid, 10_000));
    }

    [Theory]
    [InlineData(784, 256, 10, 256, 255)]
    [InlineData(784, 256, 10, 10_000, 9_999)]
    [InlineData(784, 256, 10, 10_000, 5_000)]
    [InlineData(3, 4, 2, 600_000, 599_999)]
    public void PredictBatch_with_a_non_finite_input_in_a_late_block_throws_and_leaves_the_outputs_as_they_were(int inputs, int hidden, int outputs, int rows, int badRow)
    {
        // Blocks are checked as they are used (staged outputs), or, where the staged outputs would not fit the per-thread
        // scratch (the 600,000-row case), the whole input first: either way nothing is written before the throw.
        DenseNetwork network = Network(inputs, [hidden, outputs], [Activation.Tanh, Activation.Softmax]);
        float[] x = Rows(rows, inputs, 5);
        foreach (float bad in new[] { float.NaN, float.NegativeInfinity })
        {
            x[(badRow * inputs) + (inputs / 2)] = bad;
            float[] result = Enumerable.Repeat(-7f, rows * outputs).ToArray();
            ArgumentException e = Assert.Throws<ArgumentException>(() => network.PredictBatch(x, result));
            Assert.Equal("inputs", e.ParamName);
            Assert.Contains($"element {(badRow * inputs) + (inputs / 2)} ", e.Message, StringComparison.Ordinal);
            Assert.All(result, v => Assert.Equal(-7f, v));
        }

        // And once the value is finite again the same call succeeds, with the bits of the unchecked product.
        x[(badRow * inputs) + (inputs / 2)] = 0.5f;
        var checkedOut = new float[rows * outputs];
        var plain = new float[rows * outputs];
        network.PredictBatch(x, checkedOut);
        FeedForward.RunBatch(network.Layers.ToArray(), network.Parameters, x, plain, inputs, outputs);
        Floats.AssertBitwiseEqual(plain, checkedOut, "PredictBatch against the unchecked product");
    }

    public static TheoryData<int, bool, int, int> NonFiniteCases()
    {
        // 10,000 rows of 784: row-major, blocks of 96 rows; 1,000 rows: transposed, blocks of 128 columns. A bad value
        // in the first, a middle and the last block, at the first, a middle and the last input of its row.
        var data = new TheoryData<int, bool, int, int>();
        foreach ((int rows, bool rowMajor) in new[] { (10_000, true), (1_000, false) })
        {
            data.Add(rows, rowMajor, 0, 0);
            data.Add(rows, rowMajor, rows / 2, 391);
            data.Add(rows, rowMajor, rows - 1, 783);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NonFiniteCases))]
    public void PredictBatch_finds_NaN_and_infinities_in_any_block_through_the_first_layer_s_products(int rows, bool rowMajor, int badRow, int badInput)
    {
        // The check runs inside the first layer's product (a non-finite input makes its row's products non-finite); a
        // second non-finite value in a later block must not change which one is reported.
        DenseNetwork network = Network(784, [256, 10], [Activation.Tanh, Activation.Softmax]);
        Assert.Equal(rowMajor ? BatchLayout.RowMajor : BatchLayout.Transposed, FeedForward.ChooseLayout(network.Layers.ToArray(), rows));
        float[] x = Rows(rows, 784, 9);
        int index = (badRow * 784) + badInput;
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            x[index] = bad;
            x[^1] = badRow == rows - 1 ? x[^1] : float.NaN;
            float[] result = Enumerable.Repeat(-7f, rows * 10).ToArray();
            ArgumentException e = Assert.Throws<ArgumentException>(() => network.PredictBatch(x, result));
            Assert.Equal("inputs", e.ParamName);
            Assert.Contains($"element {index} ", e.Message, StringComparison.Ordinal);
            Assert.All(result, v => Assert.Equal(-7f, v));
            x[^1] = 0.25f;
        }
    }

    [Theory]
    [InlineData(10_000, true)]
    [InlineData(1_000, false)]
    [InlineData(7, false)]
    public void PredictBatch_catches_an_infinity_whose_first_layer_weights_are_all_zero(int rows, bool rowMajor)
    {
        // 0 x Inf is NaN: an input that no unit reads still poisons its row's products (and the padding of the row-major
        // layout's packed columns), so the check inside the product still sees it.
        DenseNetwork network = Network(784, [256, 10], [Activation.ReLU, Activation.Identity]);
        Assert.Equal(rowMajor ? BatchLayout.RowMajor : BatchLayout.Transposed, FeedForward.ChooseLayout(network.Layers.ToArray(), rows));
        LayerInfo first = network.Layers[0];
        const int input = 100;
        for (int u = 0; u < first.OutputSize; u++)
        {
            network.Parameters[first.WeightOffset + (u * 784) + input] = 0f;
        }

        float[] x = Rows(rows, 784, 4);
        int index = ((rows - 1) * 784) + input;
        foreach (float bad in new[] { float.PositiveInfinity, float.NegativeInfinity, float.NaN })
        {
            x[index] = bad;
            float[] result = Enumerable.Repeat(-7f, rows * 10).ToArray();
            ArgumentException e = Assert.Throws<ArgumentException>(() => network.PredictBatch(x, result));
            Assert.Contains($"element {index} ", e.Message, StringComparison.Ordinal);
            Assert.All(result, v => Assert.Equal(-7f, v));
        }
    }

    [Theory]
    [InlineData(10_000, true, Activation.Tanh)]
    [InlineData(10_000, true, Activation.ReLU)]
    [InlineData(1_000, false, Activation.Tanh)]
    [InlineData(3, false, Activation.ReLU)]
    public void PredictBatch_accepts_finite_inputs_whose_first_layer_products_overflow(int rows, bool rowMajor, Activation hidden)
    {
        // Finite inputs of 3e38 against weights of 1 overflow the pre-activations to infinity: the products are flagged,
        // the exact search finds every input finite, and the call gives what the unchecked product gives, bit for bit.
        DenseNetwork network = Network(784, [256, 10], [hidden, Activation.Identity]);
        Assert.Equal(rowMajor ? BatchLayout.RowMajor : BatchLayout.Transposed, FeedForward.ChooseLayout(network.Layers.ToArray(), rows));
        LayerInfo first = network.Layers[0];
        for (int k = 0; k < 784; k++)
        {
            network.Parameters[first.WeightOffset + (5 * 784) + k] = 1f;
            network.Parameters[first.WeightOffset + (6 * 784) + k] = -1f;
        }

        float[] x = Rows(rows, 784, 6);
        foreach (int r in new[] { 0, rows / 2, rows - 1 })
        {
            x.AsSpan(r * 784, 784).Fill(3e38f);
        }

        var plain = new float[rows * 10];
        FeedForward.RunBatch(network.Layers.ToArray(), network.Parameters, x, plain, 784, 10);
        if (hidden == Activation.ReLU)
        {
            // ReLU passes the overflow on (tanh maps it to +-1).
            Assert.Contains(plain, v => !float.IsFinite(v));
        }

        float[] result = Enumerable.Repeat(-7f, rows * 10).ToArray();
        network.PredictBatch(x, result);
        Floats.AssertBitwiseEqual(plain, result, "PredictBatch over overflowing finite inputs against the unchecked product");
    }

    private static DenseNetwork Network(int inputs, int[] units, Activation[] activations)
    {
        NetworkBuilder builder = NetworkBuilder.Input(inputs);
        for (int l = 0; l < units.Length; l++)
        {
            builder = builder.Dense(units[l], activations[l]);
        }

        DenseNetwork network = builder.Build(new GlorotUniformInitializer(11));
        var random = new Random(7);
        foreach (LayerInfo layer in network.Layers)
        {
            // Non-zero biases, so a bias added on the wrong row or column cannot go unnoticed.
            Span<float> bias = network.Parameters.Slice(layer.BiasOffset, layer.OutputSize);
            for (int i = 0; i < bias.Length; i++)
            {
                bias[i] = (float)(random.NextDouble() - 0.5);
            }
        }

        return network;
    }

    private static float[] Rows(int rows, int inputs, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * inputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
