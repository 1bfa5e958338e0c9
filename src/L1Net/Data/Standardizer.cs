using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace L1Net.Data;

/// <summary>
/// Per-feature standardization, <c>x' = (x - mean) / scale</c>, with the mean and the population standard deviation of
/// each feature on the training rows (as scikit-learn's <c>StandardScaler</c> and glmnet's default standardization).
/// </summary>
/// <remarks>
/// <para>
/// <c>new Standardizer()</c> is the unfitted step; <see cref="Fit(Dataset)"/> returns a fitted one, and
/// <see cref="FromStatistics"/> rebuilds one from saved means and scales. A constant feature (standard deviation 0) gets
/// scale 1: it is only centred, becoming 0 on the training rows, and never produces a division by zero.
/// </para>
/// <para>
/// With L1 this matters twice: unscaled features train worse, and the penalty <c>lambda * sum |w|</c> then depends on each
/// feature's units. Fit on the training rows only; held-out rows are transformed with the training statistics.
/// </para>
/// <code>
/// Standardizer scaler = new Standardizer().Fit(train);
/// Dataset scaledTrain = scaler.Transform(train), scaledTest = scaler.Transform(test);
/// </code>
/// </remarks>
public sealed class Standardizer : IPreprocessor
{
    private readonly float[] _means;
    private readonly float[] _scales;

    /// <summary>Creates the unfitted step; call <see cref="Fit(Dataset)"/>.</summary>
    public Standardizer()
    {
        _means = [];
        _scales = [];
    }

    private Standardizer(float[] means, float[] scales)
    {
        _means = means;
        _scales = scales;
    }

    /// <inheritdoc />
    public string Name => IsFitted ? string.Create(CultureInfo.InvariantCulture, $"Standardizer({FeatureCount} features)") : "Standardizer(unfitted)";

    /// <inheritdoc />
    public bool IsFitted => _means.Length > 0;

    /// <inheritdoc />
    public int FeatureCount => _means.Length;

    /// <summary>The mean of each feature on the training rows; empty before fitting.</summary>
    public ReadOnlySpan<float> Means => _means;

    /// <summary>The scale of each feature: its population standard deviation on the training rows, or 1 for a constant feature; every scale is finite and positive. Empty before fitting.</summary>
    public ReadOnlySpan<float> Scales => _scales;

    /// <summary>Rebuilds a fitted standardizer from saved statistics.</summary>
    /// <param name="means">One finite mean per feature; at least one.</param>
    /// <param name="scales">One finite, positive scale per feature.</param>
    /// <returns>The fitted standardizer (holding copies of the spans).</returns>
    /// <exception cref="ArgumentException">The lengths differ or are 0, a mean is not finite, or a scale is not finite and positive.</exception>
    public static Standardizer FromStatistics(ReadOnlySpan<float> means, ReadOnlySpan<float> scales)
    {
        if (means.IsEmpty)
        {
            throw new ArgumentException("'means' must hold at least one value.", nameof(means));
        }

        if (scales.Length != means.Length)
        {
            throw new ArgumentException(Guard.Text($"'scales' must hold one value per mean ({means.Length}), but holds {scales.Length}."), nameof(scales));
        }

        int bad = Guard.IndexOfNonFinite(means);
        if (bad >= 0)
        {
            throw new ArgumentException(Guard.Text($"'means'[{bad}] is not finite."), nameof(means));
        }

        for (int i = 0; i < scales.Length; i++)
        {
            if (!(float.IsFinite(scales[i]) && scales[i] > 0f))
            {
                throw new ArgumentException(Guard.Text($"'scales'[{i}] must be finite and positive, but is {scales[i]}."), nameof(scales));
            }
        }

        return new Standardizer(means.ToArray(), scales.ToArray());
    }

    /// <summary>Fits the means and scales on <paramref name="trainingRows"/> (in double precision, two passes).</summary>
    /// <param name="trainingRows">The training rows only.</param>
    /// <returns>A fitted standardizer; this instance is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="trainingRows"/> is null.</exception>
    public Standardizer Fit(Dataset trainingRows)
    {
        ArgumentNullException.ThrowIfNull(trainingRows);
        (double[] mean, double[] sd) = trainingRows.FeatureStatistics; // computed once per data set, shared with the feature-scale check
        var means = new float[mean.Length];
        var scales = new float[mean.Length];
        for (int c = 0; c < mean.Length; c++)
        {
            means[c] = (float)mean[c];
            float s = (float)sd[c];
            scales[c] = s > 0f && float.IsFinite(s) ? s : 1f;
        }

        return new Standardizer(means, scales);
    }

    /// <inheritdoc />
    IPreprocessor IPreprocessor.Fit(Dataset trainingRows) => Fit(trainingRows);

    /// <inheritdoc />
    public void Transform(ReadOnlySpan<float> features, Span<float> destination)
    {
        int f = RequireFitted();
        if (features.IsEmpty || features.Length % f != 0)
        {
            throw new ArgumentException(Guard.Text($"'features' must hold a positive whole number of rows of {f} values, but has length {features.Length}."), nameof(features));
        }

        if (destination.Length != features.Length)
        {
            throw new ArgumentException(Guard.Text($"'destination' must have the length of 'features' ({features.Length}), but has length {destination.Length}."), nameof(destination));
        }

        for (int start = 0; start < features.Length; start += f)
        {
            Span<float> row = destination.Slice(start, f);
            TensorPrimitives.Subtract(features.Slice(start, f), _means, row);
            TensorPrimitives.Divide(row, _scales, row);
        }
    }

    /// <inheritdoc />
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int f = RequireFitted();
        if (data.FeatureCount != f)
        {
            throw new ArgumentException(Guard.Text($"The data has {data.FeatureCount} features, but the standardizer was fitted on {f}."), nameof(data));
        }

        return data.WithFeatures(features =>
        {
            Transform(data.Features, features);
            int bad = Guard.IndexOfNonFinite(features);
            if (bad >= 0)
            {
                throw new ArgumentException(Guard.Text($"Standardizing row {bad / f}, feature {bad % f} gives a value that is not finite."), nameof(data));
            }
        });
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>
    /// Per-feature mean and population standard deviation, in double precision (two passes). Each feature's sums run over
    /// the rows in order, one double addition per row (<c>mean += x</c>, then <c>sd += (x - mean)^2</c> with a separate
    /// multiply and add); vector lanes hold different features, so the result is the same bits at every vector width and
    /// without vectors.
    /// </summary>
    internal static (double[] Mean, double[] StandardDeviation) Statistics(Dataset data)
    {
        int n = data.Count, f = data.FeatureCount;
        ReadOnlySpan<float> x = data.Features;
        var mean = new double[f];
        var sd = new double[f];
        for (int r = 0; r < n; r++)
        {
            AddRow(x.Slice(r * f, f), mean);
        }

        for (int c = 0; c < f; c++)
        {
            mean[c] /= n;
        }

        for (int r = 0; r < n; r++)
        {
            AddSquaredDeviations(x.Slice(r * f, f), mean, sd);
        }

        for (int c = 0; c < f; c++)
        {
            sd[c] = Math.Sqrt(sd[c] / n);
        }

        return (mean, sd);
    }

    /// <summary><c>sum[c] += row[c]</c> in double, for every feature.</summary>
    private static void AddRow(ReadOnlySpan<float> row, Span<double> sum)
    {
        int c = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; c <= row.Length - Vector<float>.Count; c += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(row[c..]), out Vector<double> low, out Vector<double> high);
                Span<double> s = sum[c..];
                (new Vector<double>(s) + low).CopyTo(s);
                Span<double> t = s[Vector<double>.Count..];
                (new Vector<double>(t) + high).CopyTo(t);
            }
        }

        for (; c < row.Length; c++)
        {
            sum[c] += row[c];
        }
    }

    /// <summary><c>sum[c] += (row[c] - mean[c])^2</c> in double (a multiply, then an add), for every feature.</summary>
    private static void AddSquaredDeviations(ReadOnlySpan<float> row, ReadOnlySpan<double> mean, Span<double> sum)
    {
        int c = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int half = Vector<double>.Count;
            for (; c <= row.Length - Vector<float>.Count; c += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(row[c..]), out Vector<double> low, out Vector<double> high);
                Vector<double> d0 = low - new Vector<double>(mean[c..]);
                Vector<double> d1 = high - new Vector<double>(mean[(c + half)..]);
                Span<double> s = sum[c..];
                (new Vector<double>(s) + (d0 * d0)).CopyTo(s);
                Span<double> t = s[half..];
                (new Vector<double>(t) + (d1 * d1)).CopyTo(t);
            }
        }

        for (; c < row.Length; c++)
        {
            double d = row[c] - mean[c];
            sum[c] += d * d;
        }
    }

    private int RequireFitted() =>
        IsFitted ? _means.Length : throw new InvalidOperationException("The standardizer is not fitted: call Fit(trainingRows) first, and use the standardizer it returns.");
}
