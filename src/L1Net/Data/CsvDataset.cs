using System.Globalization;
using System.Text;

namespace L1Net;

/// <summary>
/// Reads classification data from CSV: a header row, the feature columns first, the integer class label last in a column
/// named <c>label</c>. Numbers are read in the invariant culture (<c>.</c> as the decimal point, exponents allowed).
/// </summary>
/// <remarks>
/// <para>
/// Fields are separated by commas and may be enclosed in double quotes (<c>""</c> inside quotes is one quote); a field
/// cannot span lines. Blank lines are skipped. Whitespace around a field is ignored.
/// </para>
/// <para>
/// Every problem is reported with a <see cref="CsvFormatException"/> naming the file, the line (the header is line 1)
/// and the column: an empty file, a header without data rows, a missing or misplaced label column, duplicate or empty
/// column names, rows with more or fewer values than the header, values that are not numbers, NaN or infinity, labels
/// that are negative or not whole numbers, and (for <see cref="Load"/> without a known class count) a file that holds
/// only one class.
/// </para>
/// <code>
/// CsvDataset wine = CsvDataset.Load("wine.csv");
/// Dataset data = wine.Dataset;                       // features + one-hot targets, wine.Dataset.ClassCount classes
/// IReadOnlyList&lt;string&gt; names = wine.FeatureNames;  // "alcohol", "malic_acid", ...
/// </code>
/// </remarks>
public sealed class CsvDataset
{
    /// <summary>The default name of the label column.</summary>
    public const string DefaultLabelColumn = "label";

    /// <summary>Largest number of classes a file may have (labels up to 65535).</summary>
    public const int MaxClassCount = 1 << 16;

    private CsvDataset(CsvTable table, Dataset dataset)
    {
        SourceName = table.SourceName;
        FeatureNames = table.FeatureNames;
        Dataset = dataset;
    }

    /// <summary>The file (or the name given to the text) the data came from.</summary>
    public string SourceName { get; }

    /// <summary>The header names of the feature columns, in file order (the label column excluded).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The rows: features as read, class labels with one-hot targets.</summary>
    public Dataset Dataset { get; }

    /// <summary>Reads a labelled CSV file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Label column name and known class count; default <see cref="CsvDatasetOptions"/>.</param>
    /// <returns>The data and the feature names.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or an option is out of range.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CsvFormatException">The file is not in the expected format; the message says where and why.</exception>
    public static CsvDataset Load(string path, CsvDatasetOptions? options = null)
    {
        using StreamReader reader = OpenFile(path, ref options);
        return Parse(reader, path, options);
    }

    /// <summary>Reads labelled CSV text.</summary>
    /// <param name="reader">The text, from the header row on.</param>
    /// <param name="sourceName">The name used in error messages (for example the file name).</param>
    /// <param name="options">Label column name and known class count; default <see cref="CsvDatasetOptions"/>.</param>
    /// <returns>The data and the feature names.</returns>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is empty, or an option is out of range.</exception>
    /// <exception cref="CsvFormatException">The text is not in the expected format; the message says where and why.</exception>
    public static CsvDataset Parse(TextReader reader, string sourceName, CsvDatasetOptions? options = null)
    {
        options = CheckArguments(reader, sourceName, options);
        CsvTable table = Read(reader, sourceName, options, requireLabels: true);
        int[] labels = table.LabelArray!;
        int classCount = options.ClassCount;
        if (classCount == 0)
        {
            int first = labels[0];
            int max = first;
            bool distinct = false;
            foreach (int label in labels)
            {
                max = Math.Max(max, label);
                distinct |= label != first;
            }

            if (!distinct)
            {
                throw new CsvFormatException(sourceName, 0, options.LabelColumn, $"every row has class {first}; classification needs at least two classes.");
            }

            classCount = max + 1;
        }

        return new CsvDataset(table, Dataset.FromLabels(table.FeatureArray, table.FeatureCount, labels, classCount));
    }

    /// <summary>Reads a CSV file whose label column is optional (for example data to be scored).</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Label column name and known class count; default <see cref="CsvDatasetOptions"/>.</param>
    /// <returns>The rows, with labels when the file has a label column.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or an option is out of range.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CsvFormatException">The file is not in the expected format; the message says where and why.</exception>
    public static CsvTable LoadTable(string path, CsvDatasetOptions? options = null)
    {
        using StreamReader reader = OpenFile(path, ref options);
        return ParseTable(reader, path, options);
    }

    /// <summary>Reads CSV text whose label column is optional.</summary>
    /// <param name="reader">The text, from the header row on.</param>
    /// <param name="sourceName">The name used in error messages.</param>
    /// <param name="options">Label column name and known class count; default <see cref="CsvDatasetOptions"/>.</param>
    /// <returns>The rows, with labels when the text has a label column.</returns>
    /// <exception cref="ArgumentException"><paramref name="sourceName"/> is empty, or an option is out of range.</exception>
    /// <exception cref="CsvFormatException">The text is not in the expected format; the message says where and why.</exception>
    public static CsvTable ParseTable(TextReader reader, string sourceName, CsvDatasetOptions? options = null)
    {
        options = CheckArguments(reader, sourceName, options);
        return Read(reader, sourceName, options, requireLabels: false);
    }

    private static StreamReader OpenFile(string path, ref CsvDatasetOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new CsvDatasetOptions();
        options.Validate();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(Directory.Exists(path) ? $"{path} is a directory, not a CSV file." : $"CSV file not found: {path}", path);
        }

        return new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
    }

    private static CsvDatasetOptions CheckArguments(TextReader reader, string sourceName, CsvDatasetOptions? options)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        options ??= new CsvDatasetOptions();
        options.Validate();
        return options;
    }

    private static CsvTable Read(TextReader reader, string source, CsvDatasetOptions options, bool requireLabels)
    {
        int lineNumber = 0;
        string? line;
        do
        {
            line = reader.ReadLine();
            lineNumber++;
        }
        while (line is not null && string.IsNullOrWhiteSpace(line));

        if (line is null)
        {
            throw new CsvFormatException(source, 0, null, "the file is empty; expected a header row, then one row per sample.");
        }

        var fields = new List<string>();
        SplitLine(line, source, lineNumber, fields);
        string[] header = [.. fields];
        int headerLine = lineNumber;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int c = 0; c < header.Length; c++)
        {
            if (header[c].Length == 0)
            {
                throw new CsvFormatException(source, headerLine, null, $"header column {c + 1} has no name.");
            }

            if (!seen.Add(header[c]))
            {
                throw new CsvFormatException(source, headerLine, header[c], "the header names this column twice.");
            }
        }

        string labelName = options.LabelColumn;
        int labelIndex = Array.FindIndex(header, h => string.Equals(h, labelName, StringComparison.OrdinalIgnoreCase));
        if (labelIndex >= 0 && labelIndex != header.Length - 1)
        {
            throw new CsvFormatException(source, headerLine, header[labelIndex], $"the label column must be the last column, but it is column {labelIndex + 1} of {header.Length}.");
        }

        bool hasLabels = labelIndex >= 0;
        if (requireLabels && !hasLabels)
        {
            throw new CsvFormatException(source, headerLine, null, $"there is no '{labelName}' column; the header must end with the class label column '{labelName}' (its last column is '{header[^1]}').");
        }

        int featureCount = header.Length - (hasLabels ? 1 : 0);
        if (featureCount == 0)
        {
            throw new CsvFormatException(source, headerLine, null, "there are no feature columns; the header must list the features before the label.");
        }

        int labelLimit = options.ClassCount == 0 ? MaxClassCount : options.ClassCount;
        var features = new List<float>();
        var labels = hasLabels ? new List<int>() : null;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            SplitLine(line, source, lineNumber, fields);
            if (fields.Count != header.Length)
            {
                throw new CsvFormatException(source, lineNumber, null, $"the row has {fields.Count} values, but the header has {header.Length} columns.");
            }

            for (int c = 0; c < featureCount; c++)
            {
                features.Add(ParseFeature(fields[c], source, lineNumber, header[c]));
            }

            if (labels is not null)
            {
                labels.Add(ParseLabel(fields[^1], source, lineNumber, header[^1], labelLimit, options.ClassCount != 0));
            }
        }

        int rows = features.Count / featureCount;
        if (rows == 0)
        {
            throw new CsvFormatException(source, 0, null, "the file has a header but no data rows.");
        }

        return new CsvTable(source, header[..featureCount], [.. features], labels?.ToArray(), rows);
    }

    private static float ParseFeature(string text, string source, int line, string column)
    {
        if (text.Length == 0)
        {
            throw new CsvFormatException(source, line, column, "the value is empty; every feature must be a number.");
        }

        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            throw new CsvFormatException(source, line, column, $"'{text}' is not a number (numbers use '.' as the decimal point).");
        }

        if (!float.IsFinite(value))
        {
            throw new CsvFormatException(source, line, column, $"'{text}' is not a finite number; NaN and infinity are not allowed (float32 holds magnitudes up to 3.4e38).");
        }

        return value;
    }

    private static int ParseLabel(string text, string source, int line, string column, int limit, bool classCountGiven)
    {
        if (text.Length == 0)
        {
            throw new CsvFormatException(source, line, column, "the label is empty; every row needs an integer class label 0, 1, 2, ...");
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new CsvFormatException(source, line, column, $"'{text}' is not a class label; labels are integers 0, 1, 2, ...");
        }

        if (value < 0 || value != Math.Floor(value))
        {
            throw new CsvFormatException(source, line, column, $"'{text}' is not a class label; labels are non-negative integers 0, 1, 2, ...");
        }

        if (value >= limit)
        {
            throw new CsvFormatException(source, line, column, classCountGiven
                ? $"label {text} is outside the {limit} known classes (0 to {limit - 1})."
                : $"label {text} is too large; labels must be below {limit}.");
        }

        return (int)value;
    }

    private static void SplitLine(string line, string source, int lineNumber, List<string> fields)
    {
        fields.Clear();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new CsvFormatException(source, lineNumber, null, $"field {fields.Count + 1} opens a quote that is not closed on this line.");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }

                while (i < line.Length && char.IsWhiteSpace(line[i]))
                {
                    i++;
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw new CsvFormatException(source, lineNumber, null, $"field {fields.Count + 1} has text after its closing quote.");
                }

                fields.Add(field.ToString());
            }
            else
            {
                int end = line.IndexOf(',', i);
                if (end < 0)
                {
                    end = line.Length;
                }

                fields.Add(line[i..end].Trim());
                i = end;
            }

            if (i >= line.Length)
            {
                return;
            }

            i++; // the comma
        }
    }
}
