namespace L1Net.Data;

/// <summary>
/// A CSV file read by <see cref="CsvDataset"/> is not in the expected format. The message names the file, and where it
/// applies the line (1-based, the header is line 1) and the column.
/// </summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sourceName">The file (or the name given to the text) being read.</param>
    /// <param name="lineNumber">The 1-based line, or 0 when the problem is not on one line.</param>
    /// <param name="columnName">The column's header name, or null when the problem is not in one column.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    public CsvFormatException(string sourceName, int lineNumber, string? columnName, string problem)
        : base(Describe(sourceName, lineNumber, columnName, problem))
    {
        SourceName = sourceName;
        LineNumber = lineNumber;
        ColumnName = columnName;
    }

    /// <summary>The file (or the name given to the text) being read.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based line of the problem (the header is line 1), or 0 when it is not on one line.</summary>
    public int LineNumber { get; }

    /// <summary>The header name of the column holding the problem, or null.</summary>
    public string? ColumnName { get; }

    private static string Describe(string sourceName, int lineNumber, string? columnName, string problem)
    {
        string where = sourceName;
        if (lineNumber > 0)
        {
            where += $", line {lineNumber}";
        }

        if (columnName is not null)
        {
            where += $", column {MessageText.Quote(columnName)}";
        }

        return $"{where}: {problem}";
    }
}
