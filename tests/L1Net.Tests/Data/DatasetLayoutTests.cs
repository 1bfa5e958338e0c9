using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace L1Net.Tests.Data;

/// <summary>
/// The features of every <see cref="Dataset"/> start on a 64-byte cache line, so that rows of a multiple of 16 features
/// are whole cache lines for the training kernels; and the aligned copy holds exactly the caller's values.
/// </summary>
public class DatasetLayoutTests
{
    public static TheoryData<string> Factories => ["FromLabels2D", "FromLabelsFlat", "FromOneHot", "FromTargets", "Subset"];

    [Theory]
    [MemberData(nameof(Factories))]
    public void Features_start_on_a_cache_line_and_equal_the_input(string factory)
    {
        const int Rows = 7, Columns = 32;
        var features = new float[Rows, Columns];
        var flat = new float[Rows * Columns];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                features[r, c] = flat[(r * Columns) + c] = (r * 100) + c + 0.5f;
            }
        }

        int[] labels = [0, 1, 0, 1, 0, 1, 1];
        var oneHot = new float[Rows, 2];
        for (int r = 0; r < Rows; r++)
        {
            oneHot[r, labels[r]] = 1f;
        }

        // Several datasets in a row, so that a lucky allocation address cannot pass the test by chance.
        for (int attempt = 0; attempt < 8; attempt++)
        {
            _ = new byte[4 + attempt];
            Dataset data = factory switch
            {
                "FromLabels2D" => Dataset.FromLabels(features, labels, 2),
                "FromLabelsFlat" => Dataset.FromLabels(flat, Columns, labels, 2),
                "FromOneHot" => Dataset.FromOneHot(features, oneHot),
                "FromTargets" => Dataset.FromTargets(features, oneHot),
                _ => Dataset.FromLabels(features, labels, 2).Subset([0, 1, 2, 3, 4, 5, 6]),
            };

            Assert.Equal(0, AddressOf(data.Features) % 64);
            Assert.Equal(flat, data.Features.ToArray());
        }
    }

    /// <summary>The address of the first element (the features are pinned, so it does not move).</summary>
    private static long AddressOf(ReadOnlySpan<float> span) =>
        Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref MemoryMarshal.GetReference(span));
}
