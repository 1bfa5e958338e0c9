using System.Globalization;

namespace L1Net.Data;

/// <summary>How <see cref="CsvDataset"/> reads a file. Every property has a default; all are validated before reading.</summary>
public sealed class CsvDatasetOptions
{
    /// <summary>
    /// Name of the class-label column, anywhere in the header. Default <c>label</c>; compared ordinally, ignoring case.
    /// Ignored when <see cref="LabelColumnIndex"/> is set.
    /// </summary>
    public string LabelColumn { get; init; } = CsvDataset.DefaultLabelColumn;

    /// <summary>
    /// Zero-based position of the class-label column (for example 4 for the fifth column), instead of its name. Default
    /// null: the column is found by <see cref="LabelColumn"/>. At least 0; a position beyond the header is a
    /// <see cref="CsvFormatException"/>.
    /// </summary>
    public int? LabelColumnIndex { get; init; }

    /// <summary>
    /// The character between fields. Default <c>','</c>; <c>';'</c> and <c>'\t'</c> are common. It cannot be a double quote,
    /// a line break, a letter, a digit, or one of <c>. + - _</c> and space (which are parts of numbers and names).
    /// </summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>
    /// The number of classes, when it is known (for example a test file scored by a trained model): every integer label must
    /// then be in <c>[0, ClassCount)</c>, and the file may hold any subset of the classes. Default 0: the count is the largest
    /// label plus one, where every class from 0 up must have a row and labels must be below
    /// <see cref="CsvDataset.MaxInferredClassCount"/> (or the number of distinct label names, for named labels), and the file
    /// must hold at least two distinct labels. 0 or
    /// from 2 to <see cref="CsvDataset.MaxClassCount"/>.
    /// </summary>
    public int ClassCount { get; init; }

    /// <summary>
    /// The known class names in class order, for example <see cref="ClassificationModel.ClassNames"/> when reading a test
    /// file for a trained model: each label must be one of them (compared ordinally), or an integer <c>k</c> where class
    /// <c>k</c> is named <c>"k"</c>; any other label is a <see cref="CsvFormatException"/> naming it. The file may hold any
    /// subset of the classes. Default null: the classes come from the file. When set, at least 2 distinct, non-empty names,
    /// and <see cref="ClassCount"/> must be 0 or equal to their count.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(LabelColumn))
        {
            throw new ArgumentException(Guard.Text($"'{nameof(LabelColumn)}' must name a column."), nameof(LabelColumn));
        }

        if (LabelColumnIndex is < 0)
        {
            throw Guard.OutOfRange(nameof(LabelColumnIndex), LabelColumnIndex, Guard.Text($"'{nameof(LabelColumnIndex)}' must be null or at least 0, but was {LabelColumnIndex}."));
        }

        char d = Delimiter;
        if (d is '"' or '\r' or '\n' or '.' or '+' or '-' or '_' or ' ' || char.IsLetterOrDigit(d) || char.IsSurrogate(d))
        {
            throw new ArgumentException(Guard.Text($"'{nameof(Delimiter)}' cannot be U+{(int)d:X4} ('{d}'): it must not be a quote, line break, letter, digit, space, or one of . + - _."), nameof(Delimiter));
        }

        if (ClassCount != 0 && (ClassCount < 2 || ClassCount > CsvDataset.MaxClassCount))
        {
            throw Guard.OutOfRange(nameof(ClassCount), ClassCount, Guard.Text($"'{nameof(ClassCount)}' must be 0 (infer) or between 2 and {CsvDataset.MaxClassCount}, but was {ClassCount}."));
        }

        if (ClassNames is { } names)
        {
            if (names.Count < 2 || names.Count > CsvDataset.MaxClassCount)
            {
                throw new ArgumentException(Guard.Text($"'{nameof(ClassNames)}' must hold from 2 to {CsvDataset.MaxClassCount} names, but holds {names.Count}."), nameof(ClassNames));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int k = 0; k < names.Count; k++)
            {
                if (string.IsNullOrWhiteSpace(names[k]) || !seen.Add(names[k]))
                {
                    throw new ArgumentException(Guard.Text($"'{nameof(ClassNames)}'[{k}] is empty or repeats an earlier name; class names must be distinct and non-empty."), nameof(ClassNames));
                }
            }

            if (ClassCount != 0 && ClassCount != names.Count)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"'{nameof(ClassCount)}' ({ClassCount}) must be 0 or the number of '{nameof(ClassNames)}' ({names.Count})."), nameof(ClassCount));
            }
        }
    }
}
