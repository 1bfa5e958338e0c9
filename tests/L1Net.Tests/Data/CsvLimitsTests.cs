using System.Text;

namespace L1Net.Tests.Data;

/// <summary>
/// Issue 10, CSV items 5, 7 and 15: memory proportional to the file, bounded error messages, and no leniency towards
/// text that is not what it looks like (NUL characters, stray byte-order marks, invalid UTF-8, labels that underflow).
/// </summary>
public class CsvLimitsTests
{
    private static CsvDataset Parse(string text, CsvDatasetOptions? options = null) =>
        CsvDataset.Parse(new StringReader(text), "test.csv", options);

    private static CsvFormatException ParseFails(string text, CsvDatasetOptions? options = null) =>
        Assert.Throws<CsvFormatException>(() => Parse(text, options));

    /// <summary>Rows <c>i,0</c> and one row labelled <paramref name="bigLabel"/>: a file of about <paramref name="bytes"/> bytes.</summary>
    private static string TinyFileWithALargeLabel(int bytes, int bigLabel)
    {
        var sb = new StringBuilder("x,label\n");
        int i = 0;
        while (sb.Length < bytes)
        {
            sb.Append(i++ % 10).Append(",0\n");
        }

        sb.Append("2,").Append(bigLabel).Append('\n');
        return sb.ToString();
    }

    [Theory]
    [InlineData(30_000)]
    [InlineData(120_000)]
    [InlineData(240_000)]
    public void A_tiny_file_with_a_huge_label_is_refused_in_memory_proportional_to_the_file(int bytes)
    {
        string text = TinyFileWithALargeLabel(bytes, 65535);
        int lines = text.Count(c => c == '\n');

        long before = GC.GetAllocatedBytesForCurrentThread();
        CsvFormatException e = ParseFails(text);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(lines, e.LineNumber);
        Assert.Equal("label", e.ColumnName);
        Assert.Contains("65535", e.Message, StringComparison.Ordinal);
        Assert.Contains("ClassCount", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < (256L * text.Length) + (1 << 20), $"{allocated:N0} bytes allocated for a {text.Length:N0}-character file");
    }

    [Fact]
    public void Reading_a_valid_file_allocates_in_proportion_to_the_file()
    {
        var sb = new StringBuilder("a,b,label\n");
        for (int r = 0; r < 20_000; r++)
        {
            sb.Append(r % 7).Append(',').Append(r % 3).Append(',').Append(r % 5).Append('\n');
        }

        string text = sb.ToString();
        long before = GC.GetAllocatedBytesForCurrentThread();
        CsvDataset csv = Parse(text);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(5, csv.Dataset.ClassCount);
        Assert.True(allocated < (256L * text.Length) + (1 << 20), $"{allocated:N0} bytes allocated for a {text.Length:N0}-character file");
    }

    [Fact]
    public void Labels_with_a_gap_are_refused_naming_the_line_of_the_largest_label()
    {
        CsvFormatException e = ParseFails("x,label\n1,1\n2,5\n3,1\n");

        Assert.Equal(3, e.LineNumber);
        Assert.Equal("label", e.ColumnName);
        Assert.Equal(
            "test.csv, line 3, column 'label': label 5 implies 6 classes (0 to 5), but classes 0, 2, 3, 4 have no row; "
            + "labels must be 0, 1, ..., K-1 with every class present, or state the class count (CsvDatasetOptions.ClassCount).",
            e.Message);
    }

    [Fact]
    public void Many_missing_classes_are_counted_not_listed()
    {
        CsvFormatException e = ParseFails("x,label\n1,0\n2,900\n");
        Assert.Contains("but 899 of them have no row (1, 2, 3, 4, 5, ...)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_beyond_the_inferred_class_limit_is_refused_at_its_line()
    {
        CsvFormatException e = ParseFails($"x,label\n1,0\n2,1\n3,{CsvDataset.MaxInferredClassCount}\n4,1\n");
        Assert.Equal(4, e.LineNumber);
        Assert.Contains($"label {CsvDataset.MaxInferredClassCount} is implausibly large", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stated_class_count_allows_gaps_and_large_labels()
    {
        CsvDataset csv = Parse("x,label\n1,1\n2,5\n", new CsvDatasetOptions { ClassCount = 6 });
        Assert.Equal(6, csv.Dataset.ClassCount);
        Assert.Equal([1, 5], csv.Dataset.Labels.ToArray());

        CsvDataset wide = Parse("x,label\n1,0\n2,2000\n", new CsvDatasetOptions { ClassCount = 2001 });
        Assert.Equal(2001, wide.Dataset.ClassCount);
    }

    [Fact]
    public void A_stated_class_count_too_large_for_the_rows_is_a_format_error_not_an_argument_error()
    {
        // 40,000 rows x 65,536 classes exceed the largest array: this was an ArgumentOutOfRangeException from Dataset.
        var sb = new StringBuilder("x,label\n");
        for (int r = 0; r < 40_000; r++)
        {
            sb.Append(r % 10).Append(',').Append(r % 2).Append('\n');
        }

        CsvFormatException e = ParseFails(sb.ToString(), new CsvDatasetOptions { ClassCount = CsvDataset.MaxClassCount });
        Assert.Equal("label", e.ColumnName);
        Assert.Contains("40000 rows x 65536 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_header_name_is_quoted_as_a_bounded_prefix()
    {
        string name = new('n', 10_000_000);
        CsvFormatException e = ParseFails($"{name},{name},label\n1,2,0\n3,4,1\n");

        Assert.True(e.Message.Length < 400, $"message of {e.Message.Length} characters");
        Assert.Contains("(10000000 characters)", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, e.LineNumber);
    }

    [Fact]
    public void A_huge_field_is_quoted_as_a_bounded_prefix()
    {
        string value = new string('7', 5_000_000) + "x";
        CsvFormatException e = ParseFails($"a,label\n1,0\n{value},1\n");
        Assert.True(e.Message.Length < 400, $"message of {e.Message.Length} characters");
        Assert.StartsWith("test.csv, line 3, column 'a': '7777", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_label_field_and_a_missing_label_column_are_quoted_bounded()
    {
        string value = new('9', 1_000_000);
        Assert.True(ParseFails($"a,label\n1,0\n2,{value}\n").Message.Length < 400);
        Assert.True(ParseFails($"a,{value}\n1,0\n").Message.Length < 400);
        Assert.True(ParseFails($"{value},a,label\n1,0\n", new CsvDatasetOptions { LabelColumn = "a" }).Message.Length < 400);
    }

    [Theory]
    [InlineData("1\0", 3, "a")]
    [InlineData("\01", 3, "a")]
    [InlineData("1\u0007", 3, "a")]
    public void A_control_character_in_a_feature_is_refused(string value, int line, string column)
    {
        CsvFormatException e = ParseFails($"a,label\n1,0\n{value},1\n");
        Assert.Equal(line, e.LineNumber);
        Assert.Equal(column, e.ColumnName);
        Assert.Contains("control character", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_control_character_in_a_label_is_refused()
    {
        CsvFormatException e = ParseFails("a,label\n1,0\n2,1\0\n");
        Assert.Equal(3, e.LineNumber);
        Assert.Equal("label", e.ColumnName);
    }

    [Fact]
    public void A_second_byte_order_mark_is_refused_not_folded_into_the_first_name()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];
        byte[] body = Encoding.UTF8.GetBytes("x1,label\n1,0\n2,1\n");
        string path = Path.Combine(Path.GetTempPath(), $"l1net-bom-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllBytes(path, [.. bom, .. body]);
            Assert.Equal(["x1"], CsvDataset.Load(path).FeatureNames); // one BOM is fine

            File.WriteAllBytes(path, [.. bom, .. bom, .. body]);
            CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvDataset.Load(path));
            Assert.Equal(1, e.LineNumber);
            Assert.Contains("byte-order mark", e.Message, StringComparison.Ordinal);
            Assert.Contains("column 1", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Invalid_UTF8_in_a_header_is_refused()
    {
        byte[] header = [(byte)'x', 0xC3, 0x28, (byte)',', .. "label\n1,0\n2,1\n"u8];
        string path = Path.Combine(Path.GetTempPath(), $"l1net-utf8-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllBytes(path, header);
            CsvFormatException e = Assert.Throws<CsvFormatException>(() => CsvDataset.Load(path));
            Assert.Equal(1, e.LineNumber);
            Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
            Assert.Contains("column 1", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_lone_surrogate_in_a_header_is_refused()
    {
        CsvFormatException e = ParseFails("x\uD800,label\n1,0\n2,1\n");
        Assert.Equal(1, e.LineNumber);
        Assert.Contains("column 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e-400")]
    [InlineData("0.1e-400")]
    [InlineData("1.0000000000000001")]
    [InlineData("5e-1")]
    [InlineData("1e999999999999999999")]
    public void A_label_that_is_not_exactly_a_whole_number_is_refused(string label)
    {
        CsvFormatException e = ParseFails($"a,label\n1,0\n2,1\n3,{label}\n");
        Assert.Equal(4, e.LineNumber);
        Assert.Equal("label", e.ColumnName);
    }

    [Theory]
    [InlineData("1.0", 1)]
    [InlineData("+1", 1)]
    [InlineData("1e0", 1)]
    [InlineData("0.1e1", 1)]
    [InlineData("0e-400", 0)]
    [InlineData("-0", 0)]
    [InlineData("00001", 1)]
    [InlineData("2.000", 2)]
    public void Labels_that_are_exactly_whole_numbers_are_read(string label, int expected)
    {
        CsvDataset csv = Parse($"a,label\n1,0\n2,1\n3,2\n4,{label}\n");
        Assert.Equal(expected, csv.Dataset.Labels[3]);
    }

    [Fact]
    public void The_integer_label_rules_hold_for_a_label_column_chosen_by_position_and_with_another_delimiter()
    {
        var options = new CsvDatasetOptions { LabelColumnIndex = 0, Delimiter = ';' };
        CsvFormatException gap = ParseFails("class;x\n1;1\n5;2\n1;3\n", options);
        Assert.Equal(3, gap.LineNumber);
        Assert.Equal("class", gap.ColumnName);
        Assert.Contains("label 5 implies 6 classes", gap.Message, StringComparison.Ordinal);

        CsvFormatException underflow = ParseFails("class;x\n0;1\n1e-400;2\n", options);
        Assert.Equal(3, underflow.LineNumber);

        CsvFormatException nul = ParseFails("class;x\nsetosa;1\nvirginica\0;2\n", options);
        Assert.Equal(3, nul.LineNumber);
        Assert.Equal("class", nul.ColumnName);
    }

    [Fact]
    public void Named_labels_are_classes_in_ordinal_order_and_one_name_is_still_one_class()
    {
        CsvDataset csv = Parse("x,label\n1,b\n2,a\n3,b\n");
        Assert.Equal(["a", "b"], csv.ClassNames);
        Assert.Equal([1, 0, 1], csv.Dataset.Labels.ToArray());

        CsvFormatException one = ParseFails("x,label\n1,b\n2,b\n");
        Assert.Contains("every row has class 'b'", one.Message, StringComparison.Ordinal);
        CsvFormatException oneInteger = ParseFails("x,label\n1,3\n2,3\n");
        Assert.Contains("every row has class 3", oneInteger.Message, StringComparison.Ordinal);
    }
}
