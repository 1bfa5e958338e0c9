namespace L1Net.Data;

/// <summary>Copies chosen columns out of row-major rows: the one gather that feature selection (pruned models) uses.</summary>
internal static class ColumnGather
{
    /// <summary>
    /// Writes, for each row of <paramref name="rows"/> (each <paramref name="width"/> values wide), the values at
    /// <paramref name="columns"/>, in that order, into consecutive rows of <paramref name="destination"/>.
    /// </summary>
    public static void Gather(ReadOnlySpan<float> rows, int width, ReadOnlySpan<int> columns, Span<float> destination)
    {
        int k = columns.Length;
        int count = rows.Length / width;
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<float> row = rows.Slice(r * width, width);
            Span<float> target = destination.Slice(r * k, k);
            for (int i = 0; i < k; i++)
            {
                target[i] = row[columns[i]];
            }
        }
    }
}
