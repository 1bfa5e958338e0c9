using L1Net;

namespace L1Net.Sparsity;

/// <summary>Feature standardization fitted on one set of rows and applied to another (so CV folds never see held-out statistics).</summary>
internal static class Standardizer
{
    /// <summary>Returns <paramref name="rows"/> with each feature shifted and scaled by the mean and standard deviation of <paramref name="fitRows"/>.</summary>
    public static Dataset FitAndApply(Dataset fitRows, Dataset rows)
    {
        int p = fitRows.FeatureCount;
        var mean = new double[p];
        var sd = new double[p];
        for (int r = 0; r < fitRows.Count; r++)
        {
            ReadOnlySpan<float> x = fitRows.GetFeatures(r);
            for (int j = 0; j < p; j++)
            {
                mean[j] += x[j];
            }
        }

        for (int j = 0; j < p; j++)
        {
            mean[j] /= fitRows.Count;
        }

        for (int r = 0; r < fitRows.Count; r++)
        {
            ReadOnlySpan<float> x = fitRows.GetFeatures(r);
            for (int j = 0; j < p; j++)
            {
                sd[j] += (x[j] - mean[j]) * (x[j] - mean[j]);
            }
        }

        for (int j = 0; j < p; j++)
        {
            sd[j] = Math.Sqrt(sd[j] / fitRows.Count);
            sd[j] = sd[j] > 0 ? sd[j] : 1;
        }

        var features = new float[rows.Count * p];
        for (int r = 0; r < rows.Count; r++)
        {
            ReadOnlySpan<float> x = rows.GetFeatures(r);
            for (int j = 0; j < p; j++)
            {
                features[(r * p) + j] = (float)((x[j] - mean[j]) / sd[j]);
            }
        }

        return Dataset.FromLabels(features, p, rows.Labels, rows.ClassCount);
    }
}
