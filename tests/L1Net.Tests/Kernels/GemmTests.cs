using System.Runtime.CompilerServices;
using L1Net.Kernels;

namespace L1Net.Tests.Kernels;

public class GemmTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var data = new TheoryData<int, int, int>();
        int[] sizes = [1, 3, 7, 15, 16, 17, 33, 65, 100, 257];
        foreach (int m in sizes)
        {
            foreach (int n in sizes)
            {
                data.Add(m, n, sizes[(m + n) % sizes.Length]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Forward_with_bias_matches_naive_product(int m, int n, int k)
    {
        var random = new Random((m * 1000) + (n * 10) + k);
        float[] a = Fill(random, m * k);           // A[i, kk] row-major (like weights W[o, i])
        float[] b = Fill(random, k * (n + 3));     // B[kk, j] with row stride n + 3
        float[] bias = Fill(random, m);
        float[] c = new float[m * (n + 1)];
        var sink = new BiasActivationStoreSink<RowBias, IdentityTileActivation>(ref c[0], n + 1, ref bias[0]);
        Gemm.Multiply(ref a[0], k, 1, ref b[0], new StridedRows(n + 3), 0, m, n, k, ref sink);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = bias[i];
                for (int kk = 0; kk < k; kk++)
                {
                    expected += (double)a[(i * k) + kk] * b[(kk * (n + 3)) + j];
                }

                AssertClose(expected, c[(i * (n + 1)) + j], k);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Transposed_left_operand_matches_naive_product(int m, int n, int k)
    {
        // C[i, j] = sum_kk W[kk, i] D[kk, j]: the input-error product with W[o, i] read as a transposed view.
        var random = new Random((m * 7) + (n * 13) + k);
        float[] w = Fill(random, k * m);
        float[] d = Fill(random, k * n);
        float[] c = new float[m * n];
        var sink = new StoreSink(ref c[0], n);
        Gemm.Multiply(ref w[0], 1, m, ref d[0], new StridedRows(n), 0, m, n, k, ref sink);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = 0;
                for (int kk = 0; kk < k; kk++)
                {
                    expected += (double)w[(kk * m) + i] * d[(kk * n) + j];
                }

                AssertClose(expected, c[(i * n) + j], k);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Gathered_rows_into_scaled_gradient_match_naive_product(int m, int n, int k)
    {
        // G[o, i] = scale * sum_kk E[o, kk] X[row kk, i] with rows of X taken in a shuffled order (the weight gradient).
        var random = new Random((m * 31) + (n * 17) + k);
        float[] e = Fill(random, m * k);
        int rowsInData = k + 5;
        float[] x = Fill(random, rowsInData * n);
        int[] order = Enumerable.Range(0, rowsInData).OrderBy(_ => random.Next()).Take(k).ToArray();
        int[] offsets = order.Select(r => r * n).ToArray();
        float[] gradient = new float[m * n];
        float scale = 1f / k;
        var sink = new ScaledStoreSink(ref gradient[0], n, scale);
        Gemm.Multiply(ref e[0], k, 1, ref x[0], new GatheredRows(offsets), 0, m, n, k, ref sink);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double g = 0;
                for (int kk = 0; kk < k; kk++)
                {
                    g += (double)e[(i * k) + kk] * x[(order[kk] * n) + j];
                }

                double expected = g * scale;
                Assert.True(Math.Abs(expected - gradient[(i * n) + j]) <= 1e-5 * (1 + Math.Abs(expected)), $"G[{i},{j}]: expected {expected}, got {gradient[(i * n) + j]}");
            }
        }
    }

    [Fact]
    public void Any_row_partition_gives_bit_identical_results()
    {
        var random = new Random(5);
        const int M = 101, N = 45, K = 77;
        float[] a = Fill(random, M * K);
        float[] b = Fill(random, K * N);
        float[] whole = new float[M * N];
        var sink = new StoreSink(ref whole[0], N);
        Gemm.Multiply(ref a[0], K, 1, ref b[0], new StridedRows(N), 0, M, N, K, ref sink);

        foreach (int parts in new[] { 2, 3, 7 })
        {
            float[] split = new float[M * N];
            var partSink = new StoreSink(ref split[0], N);
            for (int p = 0; p < parts; p++)
            {
                (int begin, int end) = Partition(M, p, parts);
                Gemm.Multiply(ref a[0], K, 1, ref b[0], new StridedRows(N), begin, end, N, K, ref partSink);
            }

            Assert.Equal(whole, split);
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 33, 100)]
    [InlineData(13, 17, 385)]
    [InlineData(6, 16, 513)]
    [InlineData(25, 45, 784)]
    [InlineData(31, 9, 1001)]
    [InlineData(20, 31, 450)]
    [InlineData(8, 16, 40)]
    public void Blocked_over_k_is_bit_identical_to_unblocked_and_matches_naive(int m, int n, int k)
    {
        // The forward product blocked over k, with the partial sums kept in the output itself (as the engine does it)
        // and with the rows split between parts: every element must be the same FMA chain as without blocking.
        var random = new Random((m * 101) + (n * 7) + k);
        int ldb = n + 5, ldc = n + 3;
        float[] a = Fill(random, m * k);
        float[] b = Fill(random, k * ldb);
        float[] bias = Fill(random, m);
        float[] plain = new float[m * ldc];
        var plainSink = new BiasActivationStoreSink<RowBias, IdentityTileActivation>(ref plain[0], ldc, ref bias[0]);
        Gemm.Multiply(ref a[0], k, 1, ref b[0], new StridedRows(ldb), 0, m, n, k, ref plainSink);

        foreach (int parts in new[] { 1, 2, 3 })
        {
            float[] blocked = new float[m * ldc];
            var sink = new BiasActivationStoreSink<RowBias, IdentityTileActivation>(ref blocked[0], ldc, ref bias[0]);
            for (int p = 0; p < parts; p++)
            {
                (int begin, int end) = Partition(m, p, parts);
                Gemm.MultiplyBlocked(ref a[0], k, 1, ref b[0], new StridedRows(ldb), begin, end, n, k, ref blocked[0], ldc, ref sink);
            }

            Assert.Equal(plain, blocked);
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = bias[i];
                for (int kk = 0; kk < k; kk++)
                {
                    expected += (double)a[(i * k) + kk] * b[(kk * ldb) + j];
                }

                AssertClose(expected, plain[(i * ldc) + j], k);
            }
        }
    }

    [Fact]
    public void Blocked_product_hands_the_sink_only_finished_elements()
    {
        // With a separate partial buffer the sink must see each element exactly once, after the last block of k.
        var random = new Random(11);
        const int M = 14, N = 19, K = 800;
        float[] a = Fill(random, M * K);
        float[] b = Fill(random, K * N);
        float[] expected = new float[M * N];
        var plainSink = new StoreSink(ref expected[0], N);
        Gemm.Multiply(ref a[0], K, 1, ref b[0], new StridedRows(N), 0, M, N, K, ref plainSink);

        float[] partial = new float[M * N];
        float[] c = new float[M * N];
        var sink = new AddSink(ref c[0], N); // c += value: once per element
        Gemm.MultiplyBlocked(ref a[0], K, 1, ref b[0], new StridedRows(N), 0, M, N, K, ref partial[0], N, ref sink);

        Assert.Equal(expected, c);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 3)]
    [InlineData(256, 2)]
    [InlineData(5, 7)]
    public void Partition_covers_every_row_once_in_whole_tiles(int rows, int parts)
    {
        int next = 0;
        for (int p = 0; p < parts; p++)
        {
            (int begin, int end) = Partition(rows, p, parts);
            Assert.Equal(next, begin);
            Assert.True(end >= begin);
            Assert.True(begin % Gemm.TileRows == 0 || begin == rows);
            next = end;
        }

        Assert.Equal(rows, next);
    }

    /// <summary>A split of rows between threads in whole register tiles (the last part takes the rest), as any chunking of rows must be.</summary>
    private static (int Begin, int End) Partition(int rows, int part, int parts)
    {
        int tiles = (rows + Gemm.TileRows - 1) / Gemm.TileRows;
        int begin = Math.Min(rows, (int)((long)tiles * part / parts) * Gemm.TileRows);
        int end = part == parts - 1 ? rows : Math.Min(rows, (int)((long)tiles * (part + 1) / parts) * Gemm.TileRows);
        return (begin, end);
    }

    private static float[] Fill(Random random, int n)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    private static void AssertClose(double expected, float actual, int k) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5 * (k + 1), $"expected {expected}, got {actual}");

    /// <summary><c>C[row, col] += value</c>: a sink that shows whether an element was handed over more than once.</summary>
    private readonly ref struct AddSink : ITileSink
    {
        private readonly ref float _c;
        private readonly nint _ld;

        public AddSink(ref float c, int ld)
        {
            _c = ref c;
            _ld = ld;
        }

        public void Store<TOps, TVec>(int row, int col, TVec value)
            where TOps : IVectorOps<TVec>
            where TVec : struct
        {
            ref float c = ref Unsafe.Add(ref _c, (row * _ld) + col);
            TOps.Store(TOps.Add(TOps.Load(ref c), value), ref c);
        }

        public void Store(int row, int col, float value) => Unsafe.Add(ref _c, (row * _ld) + col) += value;
    }
}
