using System.Globalization;
using L1Net.Data;

namespace L1Net.Cli;

/// <summary>The library's <see cref="Standardizer"/>, with the CLI's message for a value that the scaling turns into infinity.</summary>
internal static class Scaling
{
    /// <summary>A standardized copy of <paramref name="data"/> read from <paramref name="source"/>.</summary>
    public static Dataset Apply(Standardizer scaling, Dataset data, string source, IReadOnlyList<string> featureNames)
    {
        Check(scaling, data.Features, source, featureNames);
        return scaling.Transform(data);
    }

    /// <summary>
    /// Refuses a value that the scaling turns into infinity (a finite but huge value, far outside what the scaling was
    /// fitted on), naming the file, the data row and the column.
    /// </summary>
    public static void Check(Standardizer scaling, ReadOnlySpan<float> features, string source, IReadOnlyList<string> featureNames)
    {
        ReadOnlySpan<float> mean = scaling.Means, scale = scaling.Scales;
        int f = mean.Length;
        for (int i = 0; i < features.Length; i++)
        {
            int c = i % f;
            float value = features[i];
            if (!float.IsFinite((value - mean[c]) / scale[c]))
            {
                throw new CliException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{source}, data row {(i / f) + 1}, column {MessageText.Quote(featureNames[c])}: {value:R} is too far from the values the model was trained on (mean {mean[c]:G6}, standard deviation {scale[c]:G6}): standardized it overflows to infinity."));
            }
        }
    }
}
