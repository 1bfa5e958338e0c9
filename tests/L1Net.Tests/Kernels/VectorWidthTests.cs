using System.Runtime.Intrinsics;
using L1Net.Kernels;
using L1Net.Tests.Support;

namespace L1Net.Tests.Kernels;

/// <summary>
/// The width-portable kernels at every width, whatever the machine: a width the hardware does not accelerate runs the
/// same generic body in software (slowly, but to the same bits), so Vector512 is tested for correctness on an AVX2
/// machine and Vector128 on an AVX-512 one. CI also runs the whole suite under DOTNET_EnableAVX512=0, DOTNET_EnableAVX=0
/// and DOTNET_EnableHWIntrinsic=0, where the chosen widths change.
/// </summary>
public class VectorWidthTests
{
    private static readonly VectorWidth[] Widths = [VectorWidth.Vector512, VectorWidth.Vector256, VectorWidth.Vector128, VectorWidth.Scalar];

    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 },
        { 7, 3, 5 },
        { 13, 37, 300 },
        { 6, 64, 17 },
        { 25, 70, 800 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gemm_gives_the_same_bits_at_every_width(int m, int n, int k)
    {
        // Every element is one multiply-add chain over k (fused or not, as the hardware decides, the same at every width),
        // so the width changes nothing but the speed.
        var random = new Random((m * 31) + n + k);
        float[] a = Fill(random, m * k);
        float[] b = Fill(random, k * n);
        float[] bias = Fill(random, m);
        float[]? first = null;
        foreach (VectorWidth width in Widths)
        {
            float[] c = new float[m * n];
            var sink = new BiasActivationStoreSink<RowBias, IdentityTileActivation>(ref c[0], n, ref bias[0]);
            Gemm.MultiplyBlockedAt(ref a[0], k, 1, ref b[0], new StridedRows(n), 0, m, n, k, ref c[0], n, ref sink, width);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double expected = bias[i];
                    for (int kk = 0; kk < k; kk++)
                    {
                        expected += (double)a[(i * k) + kk] * b[(kk * n) + j];
                    }

                    Assert.True(Math.Abs(expected - c[(i * n) + j]) <= 1e-5 * (k + 1), $"{width}: C[{i}, {j}] = {c[(i * n) + j]}, expected {expected}");
                }
            }

            first ??= c;
            Floats.AssertBitwiseEqual(first, c, $"{width} against {Widths[0]}");
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 7, 9)]
    [InlineData(10, 784, 256)]
    [InlineData(7, 33, 13)]
    public void Batched_forward_rows_match_one_dot_product_per_element_at_every_width(int rows, int inputs, int outputs)
    {
        // The batched forward product of prediction (3 x 4 tiles of independent chains) gives, element for element, the
        // bits of the width's own dot product: prediction in blocks equals prediction one row at a time.
        var random = new Random(rows + inputs + outputs);
        float[] w = Fill(random, outputs * inputs);
        float[] bias = Fill(random, outputs);
        float[] x = Fill(random, rows * inputs);
        foreach (VectorWidth width in Widths)
        {
            float[] z = new float[rows * outputs];
            SampleKernels.ForwardRows(ref w[0], ref bias[0], ref x[0], rows, inputs, outputs, ref z[0], outputs, width);
            for (int s = 0; s < rows; s++)
            {
                for (int o = 0; o < outputs; o++)
                {
                    float dot = width switch
                    {
                        VectorWidth.Vector512 => SampleKernels.Dot<Vec512Ops, Vector512<float>>(ref w[o * inputs], ref x[s * inputs], inputs),
                        VectorWidth.Vector256 => SampleKernels.Dot<Vec256Ops, Vector256<float>>(ref w[o * inputs], ref x[s * inputs], inputs),
                        VectorWidth.Vector128 => SampleKernels.Dot<Vec128Ops, Vector128<float>>(ref w[o * inputs], ref x[s * inputs], inputs),
                        _ => SampleKernels.Dot<ScalarOps, float>(ref w[o * inputs], ref x[s * inputs], inputs),
                    };
                    Assert.Equal(bias[o] + dot, z[(s * outputs) + o]);

                    double expected = bias[o];
                    for (int i = 0; i < inputs; i++)
                    {
                        expected += (double)w[(o * inputs) + i] * x[(s * inputs) + i];
                    }

                    Assert.True(Math.Abs(expected - z[(s * outputs) + o]) <= 1e-5 * (inputs + 1), $"{width}: z[{s}, {o}]");
                }
            }
        }
    }

    [Fact]
    public void The_widths_follow_what_the_runtime_accelerates()
    {
        VectorWidth widest = Vector512.IsHardwareAccelerated ? VectorWidth.Vector512
            : Vector256.IsHardwareAccelerated ? VectorWidth.Vector256
            : Vector128.IsHardwareAccelerated ? VectorWidth.Vector128
            : VectorWidth.Scalar;
        Assert.Equal(widest, KernelWidths.Gemm);
        Assert.Equal(widest == VectorWidth.Vector512 ? VectorWidth.Vector256 : widest, KernelWidths.Sample);
        Assert.Equal(System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported, KernelWidths.FusedMultiplyAdd);
        Assert.True(Gemm.PanelColumns >= Gemm.TileColumns && Gemm.PanelColumns % Gemm.TileColumns == 0);
    }

    private static float[] Fill(Random random, int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
}
