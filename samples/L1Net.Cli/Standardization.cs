using System.Globalization;

namespace L1Net.Cli;

/// <summary>Per-feature standardization <c>x' = (x - mean) / scale</c>, fitted on the training rows only.</summary>
internal sealed class Standardization
{
    public Standardization(float[] mean, float[] scale)
    {
        Mean = mean;
        Scale = scale;
    }

    public float[] Mean { get; }

    /// <summary>The population standard deviation of each feature; 1 for a constant feature, which then only loses its mean.</summary>
    public float[] Scale { get; }

    public static Standardization Fit(Dataset data)
    {
        int n = data.Count, f = data.FeatureCount;
        var sum = new double[f];
        var sumSquares = new double[f];
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = data.GetFeatures(r);
            for (int c = 0; c < f; c++)
            {
                sum[c] += row[c];
            }
        }

        var mean = new float[f];
        for (int c = 0; c < f; c++)
        {
            mean[c] = (float)(sum[c] / n);
        }

        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = data.GetFeatures(r);
            for (int c = 0; c < f; c++)
            {
                double d = row[c] - mean[c];
                sumSquares[c] += d * d;
            }
        }

        var scale = new float[f];
        for (int c = 0; c < f; c++)
        {
            float sd = (float)Math.Sqrt(sumSquares[c] / n);
            scale[c] = sd > 0f && float.IsFinite(sd) ? sd : 1f;
        }

        return new Standardization(mean, scale);
    }

    /// <summary>Standardizes flat row-major features in place.</summary>
    public void Apply(Span<float> features)
    {
        int f = Mean.Length;
        for (int i = 0; i < features.Length; i++)
        {
            int c = i % f;
            features[i] = (features[i] - Mean[c]) / Scale[c];
        }
    }

    /// <summary>
    /// Standardizes flat row-major features in place and refuses a value that this scaling turns into infinity (a finite
    /// but huge value, far outside what the scaling was fitted on), naming the file, the data row and the column.
    /// </summary>
    public void Apply(Span<float> features, string source, IReadOnlyList<string> featureNames)
    {
        int f = Mean.Length;
        for (int i = 0; i < features.Length; i++)
        {
            int c = i % f;
            float value = features[i];
            features[i] = (value - Mean[c]) / Scale[c];
            if (!float.IsFinite(features[i]))
            {
                throw new CliException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{source}, data row {(i / f) + 1}, column '{featureNames[c]}': {value:R} is too far from the values the model was trained on (mean {Mean[c]:G6}, standard deviation {Scale[c]:G6}): standardized it overflows to infinity."));
            }
        }
    }

    /// <summary>A standardized copy of a labelled dataset.</summary>
    public Dataset Apply(Dataset data)
    {
        float[] features = data.Features.ToArray();
        Apply(features);
        return Dataset.FromLabels(features, data.FeatureCount, data.Labels, data.ClassCount);
    }

    /// <summary>A standardized copy of a labelled dataset read from <paramref name="source"/>.</summary>
    public Dataset Apply(Dataset data, string source, IReadOnlyList<string> featureNames)
    {
        float[] features = data.Features.ToArray();
        Apply(features, source, featureNames);
        return Dataset.FromLabels(features, data.FeatureCount, data.Labels, data.ClassCount);
    }
}
