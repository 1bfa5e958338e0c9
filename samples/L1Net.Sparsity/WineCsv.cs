using System.Globalization;
using L1Net;

namespace L1Net.Sparsity;

/// <summary>
/// A small private reader for the sample's CSV (a header, numeric features, an integer <c>label</c> column last). It stands in
/// for the library's CSV reader until that is available; it trusts its one known file.
/// </summary>
internal static class WineCsv
{
    public static (Dataset Data, string[] FeatureNames) Load(string path)
    {
        string[] lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        string[] header = lines[0].Split(',');
        if (header[^1] != "label")
        {
            throw new InvalidDataException($"{path}: the last column must be 'label'.");
        }

        int featureCount = header.Length - 1;
        var features = new List<float>();
        var labels = new List<int>();
        for (int r = 1; r < lines.Length; r++)
        {
            string[] cells = lines[r].Split(',');
            if (cells.Length != header.Length)
            {
                throw new InvalidDataException($"{path}: line {r + 1} has {cells.Length} cells, expected {header.Length}.");
            }

            for (int j = 0; j < featureCount; j++)
            {
                features.Add(float.Parse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture));
            }

            labels.Add(int.Parse(cells[^1], NumberStyles.Integer, CultureInfo.InvariantCulture));
        }

        return (Dataset.FromLabels(features.ToArray(), featureCount, labels.ToArray(), labels.Max() + 1), header[..^1]);
    }
}
