using System.Buffers;
using System.Globalization;
using System.Text;

namespace L1Net.Data;

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
/// that are negative or not exactly whole numbers (<c>1e-400</c> is not 0), control characters (a NUL) in any field, a
/// byte-order mark or replacement character (invalid UTF-8) or a lone surrogate in the header, and (for
/// <see cref="Load"/> without a known class count) a file that holds only one class, labels with a gap (labels 1 and 5
/// without 0, 2, 3, 4) or a label of <see cref="MaxInferredClassCount"/> or more. A file with gaps or many classes is read
/// when <see cref="CsvDatasetOptions.ClassCount"/> states the count. Memory is proportional to the file unless the
/// caller states a class count (the one-hot targets take rows x classes floats). Messages quote at most
/// 64 characters of a field or name.
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

    /// <summary>Largest number of classes a file may have when the class count is stated (labels up to 65535).</summary>
    /// <remarks>A value read at run time, not a compile-time constant: a later version of the library may change it without its callers being recompiled.</remarks>
    public static int MaxClassCount { get; } = 1 << 16;

    /// <summary>
    /// Largest number of classes inferred from the labels when <see cref="CsvDatasetOptions.ClassCount"/> is 0 (labels up
    /// to 1023): a larger label is refused as implausible, so a tiny file cannot ask for gigabytes of one-hot targets.
    /// </summary>
    /// <remarks>A value read at run time, not a compile-time constant: a later version of the library may change it without its callers being recompiled.</remarks>
    public static int MaxInferredClassCount { get; } = 1 << 10;


    // Characters no field or name may hold: C0 controls except tab, DEL, a byte-order mark, the replacement character.
    private static readonly SearchValues<char> s_forbidden = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F\uFEFF\uFFFD");

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
        string labelColumn = table.LabelName!;
        int classCount = table.ClassNames.Count > 0 ? table.ClassNames.Count : options.ClassCount;
        if (classCount == 0)
        {
            classCount = InferClassCount(labels, table.MaxLabelLine, sourceName, labelColumn);
        }

        if ((long)labels.Length * classCount > Array.MaxLength)
        {
            throw new CsvFormatException(sourceName, 0, labelColumn, $"{labels.Length} rows x {classCount} classes of one-hot targets exceed the largest array; state a smaller class count or split the file.");
        }

        // Named labels make their own classes (a stated ClassCount only bounds their number): one name is one class.
        if ((table.ClassNames.Count > 0 && options.ClassNames is null && options.ClassCount == 0 && !labels.AsSpan().ContainsAnyExcept(labels[0])) || classCount < 2)
        {
            throw new CsvFormatException(sourceName, 0, table.LabelName, $"every row has class {MessageText.Quote(table.ClassNames[labels[0]])}; classification needs at least two classes.");
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

    /// <summary>
    /// The class count of labels read without a stated count: the largest label plus one, where every class from 0 up has a
    /// row and there are at least two. The labels are below <see cref="MaxInferredClassCount"/> (checked while reading).
    /// </summary>
    private static int InferClassCount(int[] labels, int maxLine, string source, string column)
    {
        Span<int> counts = stackalloc int[MaxInferredClassCount];
        int maxAt = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            counts[labels[r]]++;
            if (labels[r] > labels[maxAt])
            {
                maxAt = r;
            }
        }

        int max = labels[maxAt];
        if (counts[max] == labels.Length)
        {
            throw new CsvFormatException(source, 0, column, $"every row has class {max}; classification needs at least two classes.");
        }

        int missing = 0;
        var firstMissing = new List<int>();
        for (int c = 0; c < max; c++)
        {
            if (counts[c] == 0)
            {
                missing++;
                if (firstMissing.Count < 5)
                {
                    firstMissing.Add(c);
                }
            }
        }

        if (missing > 0)
        {
            string which = missing <= 5
                ? $"class{(missing == 1 ? string.Empty : "es")} {string.Join(", ", firstMissing)} {(missing == 1 ? "has" : "have")} no row"
                : $"{missing} of them have no row ({string.Join(", ", firstMissing)}, ...)";
            throw new CsvFormatException(source, maxLine, column, $"label {max} implies {max + 1} classes (0 to {max}), but {which}; labels must be 0, 1, ..., K-1 with every class present, or state the class count (CsvDatasetOptions.ClassCount).");
        }

        return max + 1;
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

            if (HeaderProblem(header[c]) is { } problem)
            {
                throw new CsvFormatException(source, headerLine, null, $"header column {c + 1} ({MessageText.Quote(header[c])}) {problem}");
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
                throw new CsvFormatException(source, headerLine, null, $"there is no {MessageText.Quote(labelName)} column; name the class label column with the label column option, or give its position (the header's columns are {DescribeHeader(header)}).");
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

        // Numeric labels without a stated count are inferred and must stay below MaxInferredClassCount (a tiny file
        // cannot ask for gigabytes of one-hot targets); data read without labels required may carry any class.
        int labelLimit = options.ClassNames?.Count ?? (options.ClassCount != 0 ? options.ClassCount : requireLabels ? MaxInferredClassCount : MaxClassCount);
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

            for (int c = 0; c < fields.Count; c++)
            {
                if (fields[c].AsSpan().ContainsAny(s_forbidden))
                {
                    throw new CsvFormatException(source, lineNumber, header[c], $"{MessageText.Quote(fields[c])} holds a control character, byte-order mark or replacement character (invalid UTF-8); a field holds a number or a name.");
                }
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
        (int[] classOf, string[] classNames, int maxLabelLine) = MapLabels(labelTexts, labelLines, source, labelColumn, options, labelLimit, requireLabels);
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = classOf[labelIds[r]];
        }

        return new CsvTable(source, featureNames, [.. features], labels, rows, labelColumn, classNames) { MaxLabelLine = maxLabelLine };
    }

    /// <summary>
    /// Maps each distinct label text (in order of first appearance, with the line it first appears on) to a class; returns
    /// the class of each text, the class names (empty for integer labels without known names) and, for integer labels, the
    /// first line holding the largest label (0 otherwise). Integer labels are read strictly (exact whole numbers below
    /// <paramref name="labelLimit"/>); a file whose labels are not all numbers has named classes.
    /// </summary>
    private static (int[] ClassOf, string[] ClassNames, int MaxLabelLine) MapLabels(List<string> texts, List<int> lines, string source, string column, CsvDatasetOptions options, int labelLimit, bool inferring)
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

                string classes = MessageText.List(known, 16);
                throw new CsvFormatException(source, lines[i], column, $"unknown label {MessageText.Quote(texts[i])}: the known classes are {classes}.");
            }

            return (classOf, [.. known], 0);
        }

        bool named = false;
        foreach (string text in texts)
        {
            named |= text.Length > 0 && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        }

        if (!named)
        {
            int maxLabel = -1, maxLabelLine = 0;
            for (int i = 0; i < texts.Count; i++)
            {
                classOf[i] = ParseLabel(texts[i], source, lines[i], column, labelLimit, options.ClassCount != 0, inferring);
                if (classOf[i] > maxLabel || (classOf[i] == maxLabel && lines[i] < maxLabelLine))
                {
                    (maxLabel, maxLabelLine) = (classOf[i], lines[i]);
                }
            }

            return (classOf, options.ClassCount == 0 ? [] : IntegerClassNames(options.ClassCount), maxLabelLine);
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

        return (classOf, names, 0);
    }

    private static string DescribeHeader(string[] header) =>
        MessageText.List(header, 12, static h => MessageText.Quote(h));

    private static float ParseFeature(string text, string source, int line, string column)
    {
        if (text.Length == 0)
        {
            throw new CsvFormatException(source, line, column, "the value is empty; every feature must be a number.");
        }

        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
        {
            throw new CsvFormatException(source, line, column, $"{MessageText.Quote(text)} is not a number (numbers use '.' as the decimal point).");
        }

        if (!float.IsFinite(value))
        {
            throw new CsvFormatException(source, line, column, $"{MessageText.Quote(text)} is not a finite number; NaN and infinity are not allowed (float32 holds magnitudes up to 3.4e38).");
        }

        return value;
    }

    private static int ParseLabel(string text, string source, int line, string column, int limit, bool classCountGiven, bool inferring)
    {
        if (text.Length == 0)
        {
            throw new CsvFormatException(source, line, column, "the label is empty; every row needs an integer class label 0, 1, 2, ...");
        }

        switch (ReadWholeNumber(text, out long value))
        {
            case WholeNumber.NotANumber:
                throw new CsvFormatException(source, line, column, $"{MessageText.Quote(text)} is not a class label; labels are integers 0, 1, 2, ...");
            case WholeNumber.NotWhole:
                throw new CsvFormatException(source, line, column, $"{MessageText.Quote(text)} is not a class label; labels are non-negative integers 0, 1, 2, ... (written exactly: {MessageText.Quote(text)} is not a whole number).");
            case WholeNumber.Negative:
                throw new CsvFormatException(source, line, column, $"{MessageText.Quote(text)} is not a class label; labels are non-negative integers 0, 1, 2, ...");
        }

        if (value >= limit)
        {
            throw new CsvFormatException(source, line, column, classCountGiven
                ? $"label {MessageText.Quote(text, quoted: false)} is outside the {limit} known classes (0 to {limit - 1})."
                : inferring
                    ? $"label {MessageText.Quote(text, quoted: false)} is implausibly large: without a stated class count labels must be below {limit}; state the class count (CsvDatasetOptions.ClassCount, up to {MaxClassCount}) to read it."
                    : $"label {MessageText.Quote(text, quoted: false)} is too large; labels must be below {limit}.");
        }

        return (int)value;
    }

    private enum WholeNumber
    {
        Ok,
        NotANumber,
        NotWhole,
        Negative,
    }

    /// <summary>
    /// Reads <c>[+-]digits[.digits][(e|E)[+-]digits]</c> exactly: the value must be a whole number as written, not after
    /// rounding to a double (<c>1e-400</c> and <c>1.0000000000000001</c> are not whole). Values above 2^31 saturate.
    /// </summary>
    private static WholeNumber ReadWholeNumber(string text, out long value)
    {
        value = 0;
        ReadOnlySpan<char> s = text;
        bool negative = false;
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        int dot = s.IndexOfAny('e', 'E');
        ReadOnlySpan<char> mantissa = dot < 0 ? s : s[..dot];
        ReadOnlySpan<char> exponentText = dot < 0 ? [] : s[(dot + 1)..];
        int point = mantissa.IndexOf('.');
        ReadOnlySpan<char> integral = point < 0 ? mantissa : mantissa[..point];
        ReadOnlySpan<char> fraction = point < 0 ? [] : mantissa[(point + 1)..];
        if ((integral.Length == 0 && fraction.Length == 0) || integral.ContainsAnyExceptInRange('0', '9') || fraction.ContainsAnyExceptInRange('0', '9'))
        {
            return WholeNumber.NotANumber;
        }

        long exponent = 0;
        if (dot >= 0)
        {
            bool negativeExponent = false;
            if (exponentText.Length > 0 && (exponentText[0] == '+' || exponentText[0] == '-'))
            {
                negativeExponent = exponentText[0] == '-';
                exponentText = exponentText[1..];
            }

            if (exponentText.Length == 0 || exponentText.ContainsAnyExceptInRange('0', '9'))
            {
                return WholeNumber.NotANumber;
            }

            foreach (char c in exponentText)
            {
                exponent = Math.Min((exponent * 10) + (c - '0'), 1_000_000_000L);
            }

            exponent = negativeExponent ? -exponent : exponent;
        }

        // The digits without leading and trailing zeros, and the power of ten of the last one.
        string digits = string.Concat(integral, fraction).TrimStart('0');
        long scale = exponent - fraction.Length;
        int trimmed = digits.Length - digits.TrimEnd('0').Length;
        digits = digits[..^trimmed];
        scale += trimmed;
        if (digits.Length == 0)
        {
            return WholeNumber.Ok; // zero, whatever its sign or exponent
        }

        if (scale < 0)
        {
            return WholeNumber.NotWhole;
        }

        if (negative)
        {
            return WholeNumber.Negative;
        }

        if (digits.Length + scale > 10)
        {
            value = int.MaxValue;
            return WholeNumber.Ok;
        }

        value = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        for (long k = 0; k < scale; k++)
        {
            value *= 10;
        }

        value = Math.Min(value, int.MaxValue);
        return WholeNumber.Ok;
    }

    /// <summary>What is wrong with a header name, or null: invisible or invalid characters that would make it another name.</summary>
    private static string? HeaderProblem(string name)
    {
        int bad = name.AsSpan().IndexOfAny(s_forbidden);
        if (bad >= 0)
        {
            return name[bad] switch
            {
                '\uFEFF' => "holds a byte-order mark (U+FEFF): the file has a second byte-order mark or a stray one.",
                '\uFFFD' => "holds U+FFFD, the replacement character: the file is not valid UTF-8 here (or was decoded with the wrong encoding).",
                _ => $"holds the control character U+{(int)name[bad]:X4}.",
            };
        }

        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(name[i]))
            {
                return "holds a lone UTF-16 surrogate: the text is not valid Unicode.";
            }
        }

        return null;
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
