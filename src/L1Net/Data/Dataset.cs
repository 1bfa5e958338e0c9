using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using L1Net.Kernels;

namespace L1Net.Data;

/// <summary>
/// An immutable set of training or evaluation rows: features and targets stored row by row, and for classification the
/// class label of each row (targets are then one-hot). Every factory validates shapes and finiteness and copies its input.
/// </summary>
/// <remarks>
/// The features are stored in one pinned block that starts on a 64-byte cache-line boundary, so when the feature count
/// is a multiple of 16 every row starts on a cache line and the training kernels read each 16-feature panel of a row
/// from one line instead of two.
/// </remarks>
public sealed class Dataset
{
    private readonly ArraySegment<float> _features; // an aligned block (AlignedMemory)
    private readonly float[] _targets;
    private readonly int[]? _labels;
    private float[]? _featureMagnitudes; // computed on first use; immutable data, so a race only computes it twice
    private float[]? _targetMagnitudes;
    private double[][]? _featureStatistics; // [means, standard deviations]: one reference, so a race cannot tear the pair

    private Dataset(ArraySegment<float> features, float[] targets, int[]? labels, int count, int featureCount, int targetCount)
    {
        _features = features;
        _targets = targets;
        _labels = labels;
        Count = count;
        FeatureCount = featureCount;
        TargetCount = targetCount;
    }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Number of features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of target values per row (the number of classes for classification).</summary>
    public int TargetCount { get; }

    /// <summary>Whether rows carry class labels (and one-hot targets).</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>Number of classes; equals <see cref="TargetCount"/> when <see cref="HasLabels"/>, otherwise 0.</summary>
    public int ClassCount => HasLabels ? TargetCount : 0;

    /// <summary>All features, row by row.</summary>
    public ReadOnlySpan<float> Features => _features.AsSpan();

    /// <summary>All targets, row by row.</summary>
    public ReadOnlySpan<float> Targets => _targets;

    /// <summary>The class labels, one per row; empty when <see cref="HasLabels"/> is false.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Creates a classification set from features and integer class labels (targets become one-hot).</summary>
    /// <param name="features">One row per sample; at least one row and one column, all finite.</param>
    /// <param name="labels">One label per row, each in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">Number of classes, from 2 to <see cref="DenseNetwork.MaxLayerSize"/>.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> or <paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">Shapes disagree, a value is not finite, or a label is out of range.</exception>
    public static Dataset FromLabels(float[,] features, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        return FromLabels(View(features, nameof(features)), features.GetLength(1), labels, classCount);
    }

    /// <summary>Creates a classification set from flat row-major features and integer class labels.</summary>
    /// <param name="features">Rows of <paramref name="featureCount"/> finite values.</param>
    /// <param name="featureCount">Number of features per row, at least 1.</param>
    /// <param name="labels">One label per row, each in <c>[0, classCount)</c>.</param>
    /// <param name="classCount">Number of classes, from 2 to <see cref="DenseNetwork.MaxLayerSize"/>.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a value is not finite, or a label is out of range.</exception>
    public static Dataset FromLabels(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<int> labels, int classCount)
    {
        if (classCount < 2 || classCount > DenseNetwork.MaxLayerSize)
        {
            throw Guard.OutOfRange(nameof(classCount), classCount, Guard.Text($"'classCount' must be between 2 and {DenseNetwork.MaxLayerSize}."));
        }

        ArraySegment<float> copy = AlignedMemory.Copy(features); // validated after copying: the caller cannot change it in between
        int rows = CheckFeatures(copy, featureCount, nameof(features));
        if (labels.Length != rows)
        {
            throw new ArgumentException(Guard.Text($"'labels' must have one label per row ({rows}), but has {labels.Length}."), nameof(labels));
        }

        if ((long)rows * classCount > Array.MaxLength)
        {
            throw Guard.OutOfRange(nameof(classCount), classCount, Guard.Text($"{rows} rows of {classCount} one-hot targets would exceed the largest array."));
        }

        var targets = new float[rows * classCount];
        for (int r = 0; r < rows; r++)
        {
            int label = labels[r];
            if ((uint)label >= (uint)classCount)
            {
                throw Guard.OutOfRange(nameof(labels), label, Guard.Text($"Label {label} of row {r} is outside [0, {classCount})."));
            }

            targets[(r * classCount) + label] = 1f;
        }

        return new Dataset(copy, targets, labels.ToArray(), rows, featureCount, classCount);
    }

    /// <summary>Creates a classification set from features and one-hot targets (each row exactly one 1, the rest 0).</summary>
    /// <param name="features">One row per sample, all finite.</param>
    /// <param name="oneHot">One one-hot row per sample, at least 2 columns.</param>
    /// <returns>The dataset, with labels read from the position of each row's 1.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a value is not finite, or a target row is not one-hot.</exception>
    public static Dataset FromOneHot(float[,] features, float[,] oneHot)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(oneHot);
        int classes = oneHot.GetLength(1);
        if (classes < 2)
        {
            throw new ArgumentException("'oneHot' must have at least 2 columns.", nameof(oneHot));
        }

        float[] flatTargets = Flatten(oneHot, nameof(oneHot));
        var labels = new int[oneHot.GetLength(0)];
        for (int r = 0; r < labels.Length; r++)
        {
            int hot = -1;
            for (int k = 0; k < classes; k++)
            {
                float v = flatTargets[(r * classes) + k];
                if (v == 1f && hot < 0)
                {
                    hot = k;
                }
                else if (v != 0f)
                {
                    throw new ArgumentException(Guard.Text($"Row {r} of 'oneHot' is not one-hot: it must hold a single 1 and zeros elsewhere."), nameof(oneHot));
                }
            }

            if (hot < 0)
            {
                throw new ArgumentException(Guard.Text($"Row {r} of 'oneHot' is not one-hot: it has no 1."), nameof(oneHot));
            }

            labels[r] = hot;
        }

        ArraySegment<float> flatFeatures = AlignedMemory.Copy(View(features, nameof(features)));
        int rows = CheckFeatures(flatFeatures, features.GetLength(1), nameof(features));
        if (rows != labels.Length)
        {
            throw new ArgumentException(Guard.Text($"'oneHot' must have one row per feature row ({rows}), but has {labels.Length}."), nameof(oneHot));
        }

        return new Dataset(flatFeatures, flatTargets, labels, rows, features.GetLength(1), classes);
    }

    /// <summary>Creates a set with real-valued targets (regression, or multi-label targets in [0, 1]).</summary>
    /// <param name="features">One row per sample, all finite.</param>
    /// <param name="targets">One row per sample, all finite.</param>
    /// <returns>The dataset, without labels.</returns>
    /// <exception cref="ArgumentException">Shapes disagree or a value is not finite.</exception>
    public static Dataset FromTargets(float[,] features, float[,] targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArraySegment<float> flatFeatures = AlignedMemory.Copy(View(features, nameof(features)));
        int rows = CheckFeatures(flatFeatures, features.GetLength(1), nameof(features));
        float[] flatTargets = Flatten(targets, nameof(targets));
        Guard.AllFinite(flatTargets, nameof(targets));
        if (targets.GetLength(0) != rows || targets.GetLength(1) == 0)
        {
            throw new ArgumentException(Guard.Text($"'targets' must have one non-empty row per feature row ({rows}), but is {targets.GetLength(0)} x {targets.GetLength(1)}."), nameof(targets));
        }

        return new Dataset(flatFeatures, flatTargets, null, rows, features.GetLength(1), targets.GetLength(1));
    }

    /// <summary>The features of row <paramref name="row"/>.</summary>
    /// <param name="row">Zero-based row index.</param>
    /// <returns>The row's <see cref="FeatureCount"/> values.</returns>
    public ReadOnlySpan<float> GetFeatures(int row) => _features.AsSpan(CheckRow(row) * FeatureCount, FeatureCount);

    /// <summary>The target of row <paramref name="row"/>.</summary>
    /// <param name="row">Zero-based row index.</param>
    /// <returns>The row's <see cref="TargetCount"/> values.</returns>
    public ReadOnlySpan<float> GetTarget(int row) => _targets.AsSpan(CheckRow(row) * TargetCount, TargetCount);

    /// <summary>The class label of row <paramref name="row"/>.</summary>
    /// <param name="row">Zero-based row index.</param>
    /// <returns>The label.</returns>
    /// <exception cref="InvalidOperationException">The set has no labels.</exception>
    public int GetLabel(int row)
    {
        CheckRow(row);
        return _labels is null ? throw new InvalidOperationException("This dataset has no class labels.") : _labels[row];
    }

    /// <summary>
    /// The largest magnitude of each feature over all rows, <c>max_r |x_r[i]|</c> (length <see cref="FeatureCount"/>):
    /// computed in one pass on first use and kept (the data is immutable). Exact: a maximum of floats needs no rounding.
    /// </summary>
    internal ReadOnlySpan<float> FeatureMagnitudes => _featureMagnitudes ??= ColumnMagnitudes(Features, FeatureCount);

    /// <summary>The largest magnitude of each target column over all rows (length <see cref="TargetCount"/>); cached like <see cref="FeatureMagnitudes"/>.</summary>
    internal ReadOnlySpan<float> TargetMagnitudes => _targetMagnitudes ??= ColumnMagnitudes(_targets, TargetCount);

    /// <summary>
    /// The standard deviation of each feature (population, in double precision: <see cref="Standardizer"/>'s statistics),
    /// computed on first use and kept, so that the feature-scale warning of every <c>Train</c> on the same data (a path,
    /// cross-validation) does not pass over the data again. Read only.
    /// </summary>
    internal double[] FeatureDeviations => FeatureStatistics.StandardDeviation;

    /// <summary>
    /// The mean and population standard deviation of each feature (<see cref="Standardizer"/>'s statistics, in double
    /// precision), computed in one two-pass sweep on first use and kept: <see cref="Standardizer.Fit"/> and the
    /// feature-scale warning share them. Read only.
    /// </summary>
    internal (double[] Mean, double[] StandardDeviation) FeatureStatistics
    {
        get
        {
            double[][] statistics = _featureStatistics ??= ComputeFeatureStatistics();
            return (statistics[0], statistics[1]);
        }
    }

    private double[][] ComputeFeatureStatistics()
    {
        (double[] mean, double[] sd) = Standardizer.Statistics(this);
        return [mean, sd];
    }

    private static float[] ColumnMagnitudes(ReadOnlySpan<float> values, int columns)
    {
        // The signed value of largest magnitude per column, one pass per row and no scratch row; its magnitude at the end.
        var max = new float[columns];
        for (int start = 0; start + columns <= values.Length; start += columns)
        {
            System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(max, values.Slice(start, columns), max);
        }

        System.Numerics.Tensors.TensorPrimitives.Abs(max, max);
        return max;
    }

    /// <summary>A new set with the same targets and labels and features written by <paramref name="write"/> (which gets a span of <see cref="Count"/> x <see cref="FeatureCount"/> values and must leave them finite).</summary>
    internal Dataset WithFeatures(SpanAction write)
    {
        ArraySegment<float> features = AlignedMemory.Allocate(Count * FeatureCount);
        write(features.AsSpan());
        return new Dataset(features, _targets, _labels, Count, FeatureCount, TargetCount);
    }

    /// <summary>Writes into a span.</summary>
    internal delegate void SpanAction(Span<float> values);

    /// <summary>A new set with the same targets and labels and only the given feature columns, in the given order.</summary>
    internal Dataset WithFeatureColumns(IReadOnlyList<int> columns)
    {
        int k = columns.Count;
        ArraySegment<float> features = AlignedMemory.Allocate(Count * k);
        ColumnGather.Gather(Features, FeatureCount, [.. columns], features.AsSpan());

        return new Dataset(features, _targets, _labels, Count, k, TargetCount);
    }

    /// <summary>A new set holding the given rows, in the given order (rows may repeat).</summary>
    /// <param name="rows">Row indices, at least one, each in <c>[0, Count)</c>.</param>
    /// <returns>The subset.</returns>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is empty, holds an index out of range, or is too long for the largest array.</exception>
    public Dataset Subset(ReadOnlySpan<int> rows)
    {
        if (rows.IsEmpty)
        {
            throw new ArgumentException("'rows' must name at least one row.", nameof(rows));
        }

        if ((long)rows.Length * Math.Max(FeatureCount, TargetCount) > Array.MaxLength)
        {
            throw new ArgumentException(Guard.Text($"{rows.Length} rows would exceed the largest array."), nameof(rows));
        }

        ArraySegment<float> features = AlignedMemory.Allocate(rows.Length * FeatureCount);
        var targets = new float[rows.Length * TargetCount];
        int[]? labels = _labels is null ? null : new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            if ((uint)r >= (uint)Count)
            {
                throw Guard.OutOfRange(nameof(rows), r, Guard.Text($"Row index {r} is outside [0, {Count})."));
            }

            _features.AsSpan(r * FeatureCount, FeatureCount).CopyTo(features.AsSpan(i * FeatureCount));
            _targets.AsSpan(r * TargetCount, TargetCount).CopyTo(targets.AsSpan(i * TargetCount));
            if (labels is not null)
            {
                labels[i] = _labels![r];
            }
        }

        return new Dataset(features, targets, labels, rows.Length, FeatureCount, TargetCount);
    }

    private int CheckRow(int row)
    {
        if ((uint)row >= (uint)Count)
        {
            throw Guard.OutOfRange(nameof(row), row, Guard.Text($"'row' must be in [0, {Count})."));
        }

        return row;
    }

    private static int CheckFeatures(ReadOnlySpan<float> features, int featureCount, string name)
    {
        if (featureCount <= 0)
        {
            throw Guard.OutOfRange(nameof(featureCount), featureCount, "'featureCount' must be at least 1.");
        }

        if (features.IsEmpty || features.Length % featureCount != 0)
        {
            throw new ArgumentException(Guard.Text($"'{name}' must hold a positive whole number of rows of {featureCount} values, but has length {features.Length}."), name);
        }

        Guard.AllFinite(features, name);
        return features.Length / featureCount;
    }

    /// <summary>The elements of a rectangular array in row-major order, without copying.</summary>
    private static ReadOnlySpan<float> View(float[,] values, string name)
    {
        if (values.Length == 0)
        {
            throw new ArgumentException(Guard.Text($"'{name}' must not be empty."), name);
        }

        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, float>(ref MemoryMarshal.GetArrayDataReference(values)), values.Length);
    }

    private static float[] Flatten(float[,] values, string name)
    {
        if (values.Length == 0)
        {
            throw new ArgumentException(Guard.Text($"'{name}' must not be empty."), name);
        }

        var flat = new float[values.Length];
        Buffer.BlockCopy(values, 0, flat, 0, values.Length * sizeof(float));
        return flat;
    }
}
