namespace L1Net.Data;

/// <summary>
/// The rows of a CSV file as read by <see cref="CsvDataset.LoadTable"/>: the feature columns' names and values, and the
/// class labels when the file has a label column. Use it to score files that may lack labels; for training data use
/// <see cref="CsvDataset.Load"/>, which also builds a <see cref="L1Net.Data.Dataset"/>.
/// </summary>
public sealed class CsvTable
{
    private readonly float[] _features;
    private readonly int[]? _labels;

    internal CsvTable(string sourceName, string[] featureNames, float[] features, int[]? labels, int count, string? labelName, string[] classNames)
    {
        SourceName = sourceName;
        LabelName = labelName;
        ClassNames = Array.AsReadOnly(classNames);
        FeatureNames = Array.AsReadOnly(featureNames);
        _features = features;
        _labels = labels;
        Count = count;
    }

    /// <summary>The file (or the name given to the text) the rows came from.</summary>
    public string SourceName { get; }

    /// <summary>The header names of the feature columns, in file order (the label column excluded).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of data rows (at least 1).</summary>
    public int Count { get; }

    /// <summary>Number of feature columns (at least 1).</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>All feature values, row by row; every value is finite.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>Whether the file has a label column.</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>The header name of the label column, or null when the file has none.</summary>
    public string? LabelName { get; }

    /// <summary>The class names when they are known (named labels, or <see cref="CsvDatasetOptions.ClassNames"/> or <see cref="CsvDatasetOptions.ClassCount"/> given), in class order; otherwise empty.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The class index of each row (named labels mapped as <see cref="CsvDataset"/> describes); empty when <see cref="HasLabels"/> is false.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The features of row <paramref name="row"/>.</summary>
    /// <param name="row">Zero-based data row (the first row after the header is 0).</param>
    /// <returns>The row's <see cref="FeatureCount"/> values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside <c>[0, Count)</c>.</exception>
    public ReadOnlySpan<float> GetFeatures(int row)
    {
        if ((uint)row >= (uint)Count)
        {
            throw Guard.OutOfRange(nameof(row), row, Guard.Text($"'row' must be in [0, {Count})."));
        }

        return _features.AsSpan(row * FeatureCount, FeatureCount);
    }

    internal float[] FeatureArray => _features;

    internal int[]? LabelArray => _labels;

    /// <summary>The 1-based line holding the first occurrence of the largest label, or 0.</summary>
    internal int MaxLabelLine { get; init; }
}
