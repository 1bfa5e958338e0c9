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

    public static TheoryData<int, int, int> FusedCases()
    {
        var data = new TheoryData<int, int, int>();
        foreach (VectorWidth width in new[] { VectorWidth.Scalar, VectorWidth.Vector128, VectorWidth.Vector256, VectorWidth.Vector512 })
        {
            foreach ((int outputs, int inputs) in new[] { (1, 1), (8, 10), (4, 8), (3, 13), (2, 16), (3, 29), (2, 0) })
            {
                data.Add((int)width, outputs, inputs);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FusedCases))]
    public void The_sweep_with_the_step_in_it_equals_the_gradient_sweep_then_the_step_bit_for_bit(int width, int outputs, int inputs)
    {
        // Widths the machine lacks run their software fallback: the same arithmetic, so the comparison still holds.
        var random = new Random(7 + inputs);
        // Zero weights of both signs: the plain-SGD step (no sign part, no decay) skips the sign part, whose zero takes the
        // weight's sign; a zero gradient (x = -0, a zero delta) meets them.
        float[] w = Enumerable.Range(0, outputs * inputs).Select(k => k % 5 == 2 ? (k % 2 == 0 ? 0f : -0f) : (float)(random.NextDouble() - 0.5)).ToArray();
        float[] b = Enumerable.Range(0, outputs).Select(o => o == 0 ? 0f : (float)(random.NextDouble() - 0.5)).ToArray();
        float[] x = Enumerable.Range(0, inputs).Select(i => i == 1 ? -0f : (float)random.NextDouble()).ToArray();
        float[] delta = Enumerable.Range(0, outputs).Select(o => o == 1 ? 0f : (float)(random.NextDouble() - 0.5)).ToArray();
        // A regularizer's AddGradient part at the weights from before the step (zeros of both signs included).
        float[] rw = w.Select((v, k) => k % 7 == 3 ? -0f : v == 0f ? 0f : MathF.CopySign(0.01f, v) + (0.001f * k)).ToArray();
        float[] rb = b.Select((v, k) => k == 1 ? -0f : (float)(random.NextDouble() - 0.5)).ToArray();
        foreach (bool regularized in new[] { false, true })
        {
            foreach ((float rate, float l1, float l2) in new[] { (0.05f, 0f, 0f), (0.05f, 0.01f, 0f), (0.05f, 0f, 0.3f), (0.1f, 0.02f, 0.4f), (0.05f, 1e-45f, 0f) })
            {
                var step = new FusedUpdate(rate, l1, l2);
                Assert.Equal(rate * l1 == 0f && rate * l2 == 0f, step.IsPlain); // 1e-45 rounds to no sign part at all
                var biasStep = new FusedUpdate(rate, l1 / 2, 0f);

                // The general path: the gradient sweep, the regularizer's part added (g += r, one rounding per value),
                // then the elastic-net step of plain SGD on the weights and the biases.
                float[] we = (float[])w.Clone(), be = (float[])b.Clone(), belowExpected = new float[inputs], gw = new float[w.Length], gb = new float[outputs];
                SampleGradientKernels.BackwardAndGradient(we, delta, x, belowExpected, gw, gb, (VectorWidth)width);
                if (regularized)
                {
                    for (int k = 0; k < gw.Length; k++)
                    {
                        gw[k] += rw[k];
                    }

                    for (int k = 0; k < gb.Length; k++)
                    {
                        gb[k] += rb[k];
                    }
                }

                UpdateKernels.ElasticNet(we, gw, rate, l1, l2);
                UpdateKernels.ElasticNet(be, gb, rate, l1 / 2, 0f);

                ReadOnlySpan<float> rws = regularized ? rw : [], rbs = regularized ? rb : [];
                float[] wa = (float[])w.Clone(), ba = (float[])b.Clone(), below = Enumerable.Repeat(9f, inputs).ToArray();
                SampleGradientKernels.BackwardAndUpdate(wa, ba, delta, x, below, rws, rbs, step, biasStep, (VectorWidth)width);

                Assert.Equal(Bits(belowExpected), Bits(below));
                Assert.Equal(Bits(we), Bits(wa));
                Assert.Equal(Bits(be), Bits(ba));

                float[] wf = (float[])w.Clone(), bf = (float[])b.Clone();
                SampleGradientKernels.BackwardAndUpdate(wf, bf, delta, x, [], rws, rbs, step, biasStep, (VectorWidth)width);
                Assert.Equal(Bits(we), Bits(wf));
                Assert.Equal(Bits(be), Bits(bf));
            }
        }

        static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
    }

    [Fact]
    public void The_sweep_with_the_step_rejects_spans_shorter_than_the_layer_before_touching_anything()
    {
        // The row loop reads the biases and both regularizer slices without bounds checks: the entry check is what keeps
        // those reads inside the spans.
        var step = new FusedUpdate(0.1f, 0f, 0f);
        float[] w = [1f, 2f, 3f, 4f, 5f, 6f], b = [0.5f, -0.5f], x = [1f, 2f, 3f], delta = [0.25f, -0.25f];
        float[] below = [9f, 9f, 9f];
        void Call(float[] biases, float[] rw, float[] rb) =>
            SampleGradientKernels.BackwardAndUpdate(w, biases, delta, x, below, rw, rb, step, step);

        Assert.Throws<ArgumentException>(() => Call([0.5f], [], []));
        Assert.Throws<ArgumentException>(() => Call(b, new float[5], []));
        Assert.Throws<ArgumentException>(() => Call(b, new float[6], new float[1]));
        Assert.Throws<ArgumentException>(() => SampleGradientKernels.BackwardAndUpdate(w, b, delta, x, new float[2], [], [], step, step));
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], w);
        Assert.Equal([0.5f, -0.5f], b);
        Assert.Equal([9f, 9f, 9f], below);
    }
}
