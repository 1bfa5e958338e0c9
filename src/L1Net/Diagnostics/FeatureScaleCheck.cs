using Microsoft.Extensions.Logging;

namespace L1Net.Diagnostics;

/// <summary>Warns (event 61) when the data a network is trained on has features whose scales differ by orders of magnitude.</summary>
internal static class FeatureScaleCheck
{
    /// <summary>The ratio of the largest to the smallest nonzero feature standard deviation from which the warning is logged (two orders of magnitude).</summary>
    public const double RatioLimit = 100;

    /// <summary>Logs <see cref="Log.FeatureScalesDiffer"/> when warnings are enabled and the ratio reaches <see cref="RatioLimit"/>; one pass over the data the first time a data set is checked (<see cref="Dataset.FeatureDeviations"/>), none after.</summary>
    public static void Run(ILogger logger, Dataset data)
    {
        if (!logger.IsEnabled(LogLevel.Warning) || data.FeatureCount < 2)
        {
            return;
        }

        double[] sd = data.FeatureDeviations; // one pass over the data per data set, kept by it
        int widest = -1, narrowest = -1;
        for (int c = 0; c < sd.Length; c++)
        {
            if (!(sd[c] > 0) || !double.IsFinite(sd[c]))
            {
                continue; // a constant feature has no scale to compare
            }

            if (widest < 0 || sd[c] > sd[widest])
            {
                widest = c;
            }

            if (narrowest < 0 || sd[c] < sd[narrowest])
            {
                narrowest = c;
            }
        }

        if (widest >= 0 && sd[widest] / sd[narrowest] >= RatioLimit)
        {
            Log.FeatureScalesDiffer(logger, sd[widest] / sd[narrowest], widest, sd[widest], narrowest, sd[narrowest]);
        }
    }
}
