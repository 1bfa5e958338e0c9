namespace L1Net;

/// <summary>How <see cref="CsvDataset"/> reads a file. Every property has a default; all are validated before reading.</summary>
public sealed class CsvDatasetOptions
{
    /// <summary>Name of the class-label column, which must be the last column. Default <c>label</c>; compared ordinally, ignoring case.</summary>
    public string LabelColumn { get; init; } = CsvDataset.DefaultLabelColumn;

    /// <summary>
    /// The number of classes, when it is known (for example a test file scored by a trained model): every label must then be
    /// in <c>[0, ClassCount)</c>, and the file may hold any subset of the classes. Default 0: the count is the largest label
    /// plus one, and the file must hold at least two distinct labels. 0 or from 2 to <see cref="CsvDataset.MaxClassCount"/>.
    /// </summary>
    public int ClassCount { get; init; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(LabelColumn))
        {
            throw new ArgumentException($"'{nameof(LabelColumn)}' must name a column.", nameof(LabelColumn));
        }

        if (ClassCount != 0 && (ClassCount < 2 || ClassCount > CsvDataset.MaxClassCount))
        {
            throw new ArgumentOutOfRangeException(nameof(ClassCount), ClassCount, $"'{nameof(ClassCount)}' must be 0 (infer) or between 2 and {CsvDataset.MaxClassCount}, but was {ClassCount}.");
        }
    }
}
