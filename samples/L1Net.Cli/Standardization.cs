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

    /// <summary>A standardized copy of a labelled dataset.</summary>
    public Dataset Apply(Dataset data)
    {
        float[] features = data.Features.ToArray();
        Apply(features);
        return Dataset.FromLabels(features, data.FeatureCount, data.Labels, data.ClassCount);
    }
}
