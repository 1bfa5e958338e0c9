using System.Globalization;
using System.Text;

namespace L1Net;

/// <summary>
/// Reads classification data from CSV: a header row, then one row per sample; one column holds the class label (by
/// default the column named <c>label</c>, anywhere in the row; or the column chosen by
/// <see cref="CsvDatasetOptions.LabelColumn"/> or <see cref="CsvDatasetOptions.LabelColumnIndex"/>), every other column
/// is a feature. Numbers are read in the invariant culture (<c>.</c> as the decimal point, exponents allowed).
/// </summary>
/// <remarks>
/// <para>
/// Fields are separated by <see cref="CsvDatasetOptions.Delimiter"/> (default comma) and may be enclosed in double quotes
/// (<c>""</c> inside quotes is one quote); a field cannot span lines. Blank lines are skipped. Whitespace around a field is
/// ignored.
/// </para>
/// <para>
/// Class labels are either integers <c>0, 1, 2, ...</c> (class <c>k</c> is named <c>"k"</c>) or names such as
/// <c>setosa</c>: when any label of the file is not a number, every distinct label is a class name, and the classes are
/// the distinct names in ordinal (<see cref="StringComparer.Ordinal"/>) order, so the class order depends only on the set
/// of names, never on the order of the rows. <see cref="ClassNames"/> lists them; a
/// <see cref="ClassificationModel"/> stores them. To read a file with the classes of a trained model (for example a
/// test file, which may lack some classes), pass the model's names as <see cref="CsvDatasetOptions.ClassNames"/>: a
/// label that is not one of them is then a <see cref="CsvFormatException"/> naming the line and the known classes.
/// </para>
/// <para>
/// Every problem is reported with a <see cref="CsvFormatException"/> naming the file, the line (the header is line 1)
/// and the column: an empty file, a header without data rows, a missing label column, duplicate or empty
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

    private CsvDataset(CsvTable table, Dataset dataset, string[] classNames)
    {
        SourceName = table.SourceName;
        FeatureNames = table.FeatureNames;
        LabelName = table.LabelName!;
        ClassNames = Array.AsReadOnly(classNames);
        Dataset = dataset;
    }

    /// <summary>The file (or the name given to the text) the data came from.</summary>
    public string SourceName { get; }

    /// <summary>The header names of the feature columns, in file order (the label column excluded).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The header name of the label column.</summary>
    public string LabelName { get; }

    /// <summary>The name of each class, in class order: <c>"0", "1", ...</c> for integer labels, the distinct label names in ordinal order for named labels, or <see cref="CsvDatasetOptions.ClassNames"/> when given.</summary>
    public IReadOnlyList<string> ClassNames { get; }

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
        int classCount = table.ClassNames.Count > 0 ? table.ClassNames.Count : options.ClassCount;
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
                throw new CsvFormatException(sourceName, 0, table.LabelName, $"every row has class {first}; classification needs at least two classes.");
            }

            classCount = max + 1;
        }

        if (table.ClassNames.Count > 0 && options.ClassNames is null && options.ClassCount == 0 && !labels.AsSpan().ContainsAnyExcept(labels[0]))
        {
            throw new CsvFormatException(sourceName, 0, table.LabelName, $"every row has class '{table.ClassNames[labels[0]]}'; classification needs at least two classes.");
        }

        string[] names = table.ClassNames.Count > 0 ? [.. table.ClassNames] : IntegerClassNames(classCount);
        return new CsvDataset(table, Dataset.FromLabels(table.FeatureArray, table.FeatureCount, labels, classCount), names);
    }

    /// <summary>The names of integer classes: <c>"0", "1", ...</c>.</summary>
    internal static string[] IntegerClassNames(int count)
    {
        var names = new string[count];
        for (int k = 0; k < count; k++)
        {
            names[k] = k.ToString(CultureInfo.InvariantCulture);
        }

        return names;
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
        char delimiter = options.Delimiter;
        SplitLine(line, source, lineNumber, fields, delimiter);
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

        int labelIndex;
        if (options.LabelColumnIndex is int position)
        {
            if (position >= header.Length)
            {
                throw new CsvFormatException(source, headerLine, null, $"the label column is set to position {position} (0-based), but the header has {header.Length} columns.");
            }

            labelIndex = position;
        }
        else
        {
            string labelName = options.LabelColumn;
            labelIndex = Array.FindIndex(header, h => string.Equals(h, labelName, StringComparison.OrdinalIgnoreCase));
            if (requireLabels && labelIndex < 0)
            {
                throw new CsvFormatException(source, headerLine, null, $"there is no '{labelName}' column; name the class label column with the label column option, or give its position (the header's columns are {DescribeHeader(header)}).");
            }
        }

        bool hasLabels = labelIndex >= 0;
        int featureCount = header.Length - (hasLabels ? 1 : 0);
        if (featureCount == 0)
        {
            throw new CsvFormatException(source, headerLine, null, "there are no feature columns; the header must list the features besides the label.");
        }

        var featureColumns = new int[featureCount];
        for (int c = 0, j = 0; c < header.Length; c++)
        {
            if (c != labelIndex)
            {
                featureColumns[j++] = c;
            }
        }

        int labelLimit = options.ClassNames?.Count ?? (options.ClassCount == 0 ? MaxClassCount : options.ClassCount);
        var features = new List<float>();
        var labelIds = hasLabels ? new List<int>() : null;
        var distinctLabels = new Dictionary<string, int>(StringComparer.Ordinal);
        var labelTexts = new List<string>();
        var labelLines = new List<int>();
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            SplitLine(line, source, lineNumber, fields, delimiter);
            if (fields.Count != header.Length)
            {
                throw new CsvFormatException(source, lineNumber, null, $"the row has {fields.Count} values, but the header has {header.Length} columns.");
            }

            foreach (int c in featureColumns)
            {
                features.Add(ParseFeature(fields[c], source, lineNumber, header[c]));
            }

            if (labelIds is not null)
            {
                string text = fields[labelIndex];
                if (!distinctLabels.TryGetValue(text, out int id))
                {
                    if (distinctLabels.Count == MaxClassCount)
                    {
                        throw new CsvFormatException(source, lineNumber, header[labelIndex], $"the file has more than {MaxClassCount} distinct labels.");
                    }

                    id = distinctLabels.Count;
                    distinctLabels.Add(text, id);
                    labelTexts.Add(text);
                    labelLines.Add(lineNumber);
                }

                labelIds.Add(id);
            }
        }

        int rows = features.Count / featureCount;
        if (rows == 0)
        {
            throw new CsvFormatException(source, 0, null, "the file has a header but no data rows.");
        }

        string[] featureNames = Array.ConvertAll(featureColumns, c => header[c]);
        if (labelIds is null)
        {
            return new CsvTable(source, featureNames, [.. features], null, rows, null, []);
        }

        string labelColumn = header[labelIndex];
        (int[] classOf, string[] classNames) = MapLabels(labelTexts, labelLines, source, labelColumn, options, labelLimit);
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = classOf[labelIds[r]];
        }

        return new CsvTable(source, featureNames, [.. features], labels, rows, labelColumn, classNames);
    }

    /// <summary>
    /// Maps each distinct label text (in order of first appearance, with the line it first appears on) to a class; returns
    /// the class of each text and the class names (empty for integer labels without known names).
    /// </summary>
    private static (int[] ClassOf, string[] ClassNames) MapLabels(List<string> texts, List<int> lines, string source, string column, CsvDatasetOptions options, int labelLimit)
    {
        var classOf = new int[texts.Count];
        if (options.ClassNames is { } known)
        {
            var index = new Dictionary<string, int>(known.Count, StringComparer.Ordinal);
            for (int k = 0; k < known.Count; k++)
            {
                index.TryAdd(known[k], k);
            }

            for (int i = 0; i < texts.Count; i++)
            {
                if (index.TryGetValue(texts[i], out int k)
                    || (int.TryParse(texts[i], NumberStyles.None, CultureInfo.InvariantCulture, out k) && k < known.Count && known[k] == k.ToString(CultureInfo.InvariantCulture)))
                {
                    classOf[i] = k;
                    continue;
                }

                string classes = known.Count <= 16 ? string.Join(", ", known) : string.Join(", ", known.Take(16)) + $", ... {known.Count - 16} more";
                throw new CsvFormatException(source, lines[i], column, $"unknown label '{Bounded(texts[i])}': the known classes are {classes}.");
            }

            return (classOf, [.. known]);
        }

        bool named = false;
        foreach (string text in texts)
        {
            named |= text.Length > 0 && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        }

        if (!named)
        {
            for (int i = 0; i < texts.Count; i++)
            {
                classOf[i] = ParseLabel(texts[i], source, lines[i], column, labelLimit, options.ClassCount != 0);
            }

            return (classOf, options.ClassCount == 0 ? [] : IntegerClassNames(options.ClassCount));
        }

        for (int i = 0; i < texts.Count; i++)
        {
            if (texts[i].Length == 0)
            {
                throw new CsvFormatException(source, lines[i], column, "the label is empty; every row needs a class label.");
            }
        }

        string[] names = [.. texts];
        Array.Sort(names, StringComparer.Ordinal);
        if (options.ClassCount != 0 && names.Length > options.ClassCount)
        {
            throw new CsvFormatException(source, 0, column, $"the file has {names.Length} distinct class names, more than the {options.ClassCount} classes given.");
        }

        for (int i = 0; i < texts.Count; i++)
        {
            classOf[i] = Array.BinarySearch(names, texts[i], StringComparer.Ordinal);
        }

        return (classOf, names);
    }

    private static string Bounded(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "...");

    private static string DescribeHeader(string[] header) =>
        header.Length <= 12 ? string.Join(", ", header.Select(h => $"'{Bounded(h)}'")) : string.Join(", ", header.Take(12).Select(h => $"'{Bounded(h)}'")) + $", ... {header.Length - 12} more";

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

    private static void SplitLine(string line, string source, int lineNumber, List<string> fields, char delimiter)
    {
        fields.Clear();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            while (i < line.Length && line[i] != delimiter && char.IsWhiteSpace(line[i]))
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

                while (i < line.Length && line[i] != delimiter && char.IsWhiteSpace(line[i]))
                {
                    i++;
                }

                if (i < line.Length && line[i] != delimiter)
                {
                    throw new CsvFormatException(source, lineNumber, null, $"field {fields.Count + 1} has text after its closing quote.");
                }

                fields.Add(field.ToString());
            }
            else
            {
                int end = line.IndexOf(delimiter, i);
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

            i++; // the delimiter
        }
    }
}
