using L1Net.Kernels;

namespace L1Net.Tests.Kernels;

public class TransposeKernelsTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int rows in new[] { 1, 7, 8, 9, 16, 23, 32, 47 })
        {
            foreach (int columns in new[] { 1, 5, 8, 13, 16, 33, 50 })
            {
                data.Add(rows, columns, (rows + columns) % 3);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Strided_rows_become_columns_exactly_and_nothing_else_is_written(int rows, int columns, int s0)
    {
        (float[] source, float[] target, int stride, int ld) = StridedCase(rows, columns, s0, seed: (rows * 100) + columns);

        TransposeKernels.Transpose(ref source[0], new StridedRows(stride), s0, s0 + rows, columns, ref target[0], ld);

        AssertRowsBecameColumns(source, target, stride, ld, rows, columns, s0);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void By_column_blocks_strided_rows_become_columns_exactly_and_nothing_else_is_written(int rows, int columns, int s0)
    {
        // The loop order of the prediction path's input transpose; the same values as Transpose, under every CI setting
        // (8 x 8 AVX blocks, 4 x 4 SSE blocks, or element by element).
        (float[] source, float[] target, int stride, int ld) = StridedCase(rows, columns, s0, seed: (rows * 100) + columns + 1);

        TransposeKernels.TransposeByColumnBlocks(ref source[0], new StridedRows(stride), s0, s0 + rows, columns, ref target[0], ld);

        AssertRowsBecameColumns(source, target, stride, ld, rows, columns, s0);
    }

    [Fact]
    public void Gathered_rows_arrive_in_the_order_of_their_offsets()
    {
        const int Features = 19, DataRows = 40, Batch = 21;
        var random = new Random(3);
        float[] data = Enumerable.Range(0, DataRows * Features).Select(_ => (float)random.NextDouble()).ToArray();
        int[] order = Enumerable.Range(0, Batch).Select(i => (i * 17) % DataRows).ToArray();
        int[] offsets = order.Select(r => r * Features).ToArray();
        float[] target = new float[Features * Batch];

        TransposeKernels.Transpose(ref data[0], new GatheredRows(offsets), 0, Batch, Features, ref target[0], Batch);

        for (int i = 0; i < Features; i++)
        {
            for (int m = 0; m < Batch; m++)
            {
                Assert.Equal(data[(order[m] * Features) + i], target[(i * Batch) + m]);
            }
        }
    }

    [Theory]
    [InlineData(21, 19)]
    [InlineData(16, 32)]
    [InlineData(5, 3)]
    public void TransposeAndCopy_also_writes_the_rows_side_by_side(int batch, int features)
    {
        const int DataRows = 40;
        var random = new Random(batch + features);
        float[] data = Enumerable.Range(0, DataRows * features).Select(_ => (float)random.NextDouble()).ToArray();
        int[] order = Enumerable.Range(0, batch).Select(i => (i * 17) % DataRows).ToArray();
        int[] offsets = order.Select(r => r * features).ToArray();
        int ldCopy = features + 4;
        float[] target = new float[features * batch];
        float[] copy = Enumerable.Repeat(-7f, batch * ldCopy).ToArray();

        TransposeKernels.TransposeAndCopy(ref data[0], new GatheredRows(offsets), 0, batch, features, ref target[0], batch, ref copy[0], ldCopy);

        for (int m = 0; m < batch; m++)
        {
            for (int i = 0; i < ldCopy; i++)
            {
                Assert.Equal(i < features ? data[(order[m] * features) + i] : -7f, copy[(m * ldCopy) + i]);
            }

            for (int i = 0; i < features; i++)
            {
                Assert.Equal(data[(order[m] * features) + i], target[(i * batch) + m]);
            }
        }
    }

    private static (float[] Source, float[] Target, int Stride, int Ld) StridedCase(int rows, int columns, int s0, int seed)
    {
        var random = new Random(seed);
        int stride = columns + 3, ld = rows + s0 + 5;
        float[] source = Enumerable.Range(0, (rows + s0) * stride).Select(_ => (float)random.NextDouble()).ToArray();
        float[] target = Enumerable.Repeat(-7f, columns * ld).ToArray();
        return (source, target, stride, ld);
    }

    private static void AssertRowsBecameColumns(float[] source, float[] target, int stride, int ld, int rows, int columns, int s0)
    {
        for (int t = 0; t < columns; t++)
        {
            for (int s = 0; s < ld; s++)
            {
                float expected = s >= s0 && s < s0 + rows ? source[(s * stride) + t] : -7f;
                Assert.Equal(expected, target[(t * ld) + s]);
            }
        }
    }
}
