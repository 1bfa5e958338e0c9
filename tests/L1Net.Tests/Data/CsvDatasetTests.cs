using System.Globalization;
using L1Net.Tests.Support;

namespace L1Net.Tests.Data;

public class CsvDatasetTests
{
    private static CsvDataset Parse(string text, CsvDatasetOptions? options = null) =>
        CsvDataset.Parse(new StringReader(text), "test.csv", options);

    private static CsvFormatException ParseFails(string text, CsvDatasetOptions? options = null) =>
        Assert.Throws<CsvFormatException>(() => Parse(text, options));

    [Fact]
    public void Reads_features_names_and_labels_in_the_invariant_culture()
    {
        CsvDataset csv = Parse("a,b,label\n1.5,-2e-1,0\n3,4,2\n\n 0.25 , 7 ,1\n");

        Assert.Equal(["a", "b"], csv.FeatureNames);
        Assert.Equal("test.csv", csv.SourceName);
        Dataset data = csv.Dataset;
        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal(3, data.ClassCount);
        Assert.Equal([1.5f, -0.2f, 3f, 4f, 0.25f, 7f], data.Features.ToArray());
        Assert.Equal([0, 2, 1], data.Labels.ToArray());
        Assert.Equal([0f, 0f, 1f], data.GetTarget(1).ToArray());
    }

    [Fact]
    public void Reading_does_not_depend_on_the_current_culture()
    {
        using var scope = new CultureScope(new CultureInfo("de-DE"));
        CsvDataset csv = Parse("x,label\n1.5,0\n2.25,1\n");
        Assert.Equal([1.5f, 2.25f], csv.Dataset.Features.ToArray());
    }

    [Fact]
    public void Accepts_quoted_fields_crlf_and_a_case_insensitive_label_header()
    {
        CsvDataset csv = Parse("\"width, cm\",\"say \"\"hi\"\"\",LABEL\r\n\"1\",2,1\r\n3,4,0\r\n");

        Assert.Equal(["width, cm", "say \"hi\""], csv.FeatureNames);
        Assert.Equal([1f, 2f, 3f, 4f], csv.Dataset.Features.ToArray());
        Assert.Equal([1, 0], csv.Dataset.Labels.ToArray());
    }

    [Fact]
    public void Whole_number_labels_written_as_decimals_are_accepted()
    {
        Assert.Equal([1, 0], Parse("x,label\n1,1.0\n2,0\n").Dataset.Labels.ToArray());
    }

    [Fact]
    public void A_known_class_count_allows_a_single_class_and_sets_the_target_width()
    {
        CsvDataset csv = Parse("x,label\n1,2\n2,2\n", new CsvDatasetOptions { ClassCount = 4 });

        Assert.Equal(4, csv.Dataset.ClassCount);
        Assert.Equal([0f, 0f, 1f, 0f], csv.Dataset.GetTarget(0).ToArray());
    }

    [Fact]
    public void A_custom_label_column_name_is_honoured()
    {
        CsvDataset csv = Parse("x,y,class\n1,2,0\n3,4,1\n", new CsvDatasetOptions { LabelColumn = "class" });
        Assert.Equal(["x", "y"], csv.FeatureNames);
    }

    [Fact]
    public void Loads_a_file_by_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"l1net-csv-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "sepal_length_cm,sepal_width_cm,label\n5.1,3.5,0\n7,3.2,1\n6.3,3.3,2\n");
        CsvDataset csv;
        try
        {
            csv = CsvDataset.Load(path);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal(path, csv.SourceName);
        Assert.Equal(3, csv.Dataset.Count);
        Assert.Equal(3, csv.Dataset.ClassCount);
        Assert.Equal(5.1f, csv.Dataset.GetFeatures(0)[0]);
    }

    [Fact]
    public void A_missing_file_fails_with_its_path()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "no-such-file.csv");
        var e = Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(path));
        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_is_not_a_csv_file()
    {
        var e = Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(AppContext.BaseDirectory));
        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n\r\n")]
    public void An_empty_file_fails(string text)
    {
        CsvFormatException e = ParseFails(text);
        Assert.Equal("test.csv: the file is empty; expected a header row, then one row per sample.", e.Message);
        Assert.Equal(0, e.LineNumber);
    }

    [Fact]
    public void A_header_without_rows_fails()
    {
        Assert.Equal("test.csv: the file has a header but no data rows.", ParseFails("a,label\n\n").Message);
    }

    [Fact]
    public void A_ragged_row_names_its_line_and_counts()
    {
        CsvFormatException e = ParseFails("a,b,label\n1,2,0\n\n1,2\n");
        Assert.Equal("test.csv, line 4: the row has 2 values, but the header has 3 columns.", e.Message);
        Assert.Equal(4, e.LineNumber);
        Assert.Null(e.ColumnName);
        Assert.Contains("has 4 values", ParseFails("a,b,label\n1,2,0,9\n").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc", "'abc' is not a number")]
    [InlineData("1,5", "the row has 4 values")]
    [InlineData("", "the value is empty")]
    [InlineData("NaN", "'NaN' is not a finite number")]
    [InlineData("Infinity", "'Infinity' is not a finite number")]
    [InlineData("-Infinity", "'-Infinity' is not a finite number")]
    [InlineData("1e39", "'1e39' is not a finite number")]
    [InlineData("0x10", "'0x10' is not a number")]
    public void A_bad_feature_value_names_line_and_column(string value, string expected)
    {
        CsvFormatException e = ParseFails($"a,b,label\n1,2,0\n3,{value},1\n");
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.csv, line 3", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, e.LineNumber);
        if (!expected.StartsWith("the row", StringComparison.Ordinal))
        {
            Assert.Equal("b", e.ColumnName);
            Assert.StartsWith("test.csv, line 3, column 'b': ", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_missing_label_column_says_what_is_expected()
    {
        CsvFormatException e = ParseFails("a,b,class\n1,2,0\n3,4,1\n");
        Assert.Equal("test.csv, line 1: there is no 'label' column; name the class label column with the label column option, or give its position (the header's columns are 'a', 'b', 'class').", e.Message);
        Assert.Equal(1, e.LineNumber);
    }

    [Fact]
    public void The_label_column_may_be_anywhere_and_the_features_keep_file_order()
    {
        CsvDataset csv = CsvDataset.Parse(new StringReader("a,label,b\n1,0,2\n3,1,4\n"), "test.csv");
        Assert.Equal(["a", "b"], csv.FeatureNames);
        Assert.Equal("label", csv.LabelName);
        Assert.Equal([1f, 2f, 3f, 4f], csv.Dataset.Features.ToArray());
        Assert.Equal([0, 1], csv.Dataset.Labels.ToArray());
        Assert.Equal(["0", "1"], csv.ClassNames);
    }

    [Fact]
    public void String_labels_become_classes_in_ordinal_order_whatever_the_row_order()
    {
        const string rows = "5.1,setosa\n7.0,versicolor\n6.3,virginica\n4.9,setosa\n";
        CsvDataset a = CsvDataset.Parse(new StringReader("x,species\n" + rows), "a.csv", new CsvDatasetOptions { LabelColumn = "species" });
        CsvDataset b = CsvDataset.Parse(new StringReader("x,species\n6.3,virginica\n7.0,versicolor\n4.9,setosa\n5.1,setosa\n"), "b.csv", new CsvDatasetOptions { LabelColumn = "Species" });

        Assert.Equal(["setosa", "versicolor", "virginica"], a.ClassNames);
        Assert.Equal(a.ClassNames, b.ClassNames);
        Assert.Equal([0, 1, 2, 0], a.Dataset.Labels.ToArray());
        Assert.Equal([2, 1, 0, 0], b.Dataset.Labels.ToArray());
        Assert.Equal(3, a.Dataset.ClassCount);

        // Ordinal, not culture order: upper case sorts before lower case, and "I" before "i" under every culture.
        CsvDataset c = CsvDataset.Parse(new StringReader("x,label\n1,b\n2,B\n3,a\n4,10\n"), "c.csv");
        Assert.Equal(["10", "B", "a", "b"], c.ClassNames);
    }

    [Fact]
    public void The_label_column_can_be_chosen_by_position_and_fields_by_another_delimiter()
    {
        var options = new CsvDatasetOptions { LabelColumnIndex = 0, Delimiter = ';' };
        CsvDataset csv = CsvDataset.Parse(new StringReader("kind;a;b\nx;1.5;2\ny;3;4\n"), "semi.csv", options);
        Assert.Equal(["a", "b"], csv.FeatureNames);
        Assert.Equal("kind", csv.LabelName);
        Assert.Equal([1.5f, 2f, 3f, 4f], csv.Dataset.Features.ToArray());
        Assert.Equal(["x", "y"], csv.ClassNames);

        CsvDataset tabs = CsvDataset.Parse(new StringReader("a\tb\tlabel\n 1 \t 2 \t 0\n3\t\"4\"\t1\n"), "tabs.tsv", new CsvDatasetOptions { Delimiter = '\t' });
        Assert.Equal([1f, 2f, 3f, 4f], tabs.Dataset.Features.ToArray());

        CsvFormatException e = ParseFails("a,b\n1,0\n2,1\n", new CsvDatasetOptions { LabelColumnIndex = 2 });
        Assert.Contains("position 2 (0-based), but the header has 2 columns", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('"')]
    [InlineData('.')]
    [InlineData('-')]
    [InlineData('a')]
    [InlineData('7')]
    [InlineData('\n')]
    [InlineData(' ')]
    public void A_delimiter_that_would_break_numbers_or_quotes_is_refused(char delimiter)
    {
        Assert.Throws<ArgumentException>("Delimiter", () => CsvDataset.Parse(new StringReader("a,label\n1,0\n"), "t.csv", new CsvDatasetOptions { Delimiter = delimiter }));
    }

    [Fact]
    public void Known_class_names_map_labels_and_an_unknown_label_names_its_line_and_the_classes()
    {
        var options = new CsvDatasetOptions { LabelColumn = "species", ClassNames = ["setosa", "versicolor", "virginica"] };
        CsvTable table = CsvDataset.ParseTable(new StringReader("x,species\n1,virginica\n2,setosa\n"), "test.csv", options);
        Assert.Equal([2, 0], table.Labels.ToArray());
        Assert.Equal(["setosa", "versicolor", "virginica"], table.ClassNames);

        CsvFormatException e = ParseFails("x,species\n1,virginica\n2,Setosa\n", options);
        Assert.Equal("test.csv, line 3, column 'species': unknown label 'Setosa': the known classes are setosa, versicolor, virginica.", e.Message);
        Assert.Equal(3, e.LineNumber);

        // Integer labels match classes named by their index.
        CsvDataset numbers = CsvDataset.Parse(new StringReader("x,label\n1,2\n2,0\n"), "n.csv", new CsvDatasetOptions { ClassNames = ["0", "1", "2"] });
        Assert.Equal([2, 0], numbers.Dataset.Labels.ToArray());
        Assert.Equal(3, numbers.Dataset.ClassCount);
    }

    [Fact]
    public void A_file_with_one_named_class_fails()
    {
        Assert.Contains("every row has class 'cat'", ParseFails("a,label\n1,cat\n2,cat\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_with_only_the_label_fails()
    {
        Assert.Contains("no feature columns", ParseFails("label\n0\n1\n").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,a,label", "column 'a': the header names this column twice.")]
    [InlineData("a,,label", "header column 2 has no name.")]
    [InlineData("\"a,b,label", "field 1 opens a quote that is not closed on this line.")]
    [InlineData("\"a\"x,b,label", "field 1 has text after its closing quote.")]
    public void A_malformed_header_fails(string header, string expected)
    {
        CsvFormatException e = ParseFails($"{header}\n1,2,0\n3,4,1\n");
        Assert.EndsWith(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.csv, line 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1", "'-1' is not a class label; labels are non-negative integers")]
    [InlineData("1.5", "'1.5' is not a class label; labels are non-negative integers")]
    [InlineData("NaN", "'NaN' is not a class label")]
    [InlineData("", "the label is empty")]
    [InlineData("1024", "label 1024 is implausibly large: without a stated class count labels must be below 1024;")]
    public void A_bad_label_names_line_and_column(string label, string expected)
    {
        CsvFormatException e = ParseFails($"a,label\n1,0\n2,1\n3,{label}\n");
        Assert.StartsWith("test.csv, line 4, column 'label': ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal("label", e.ColumnName);
    }

    [Fact]
    public void A_label_beyond_a_known_class_count_fails()
    {
        CsvFormatException e = ParseFails("a,label\n1,0\n2,3\n", new CsvDatasetOptions { ClassCount = 3 });
        Assert.Equal("test.csv, line 3, column 'label': label 3 is outside the 3 known classes (0 to 2).", e.Message);
    }

    [Fact]
    public void One_class_only_fails()
    {
        CsvFormatException e = ParseFails("a,label\n1,1\n2,1\n3,1\n");
        Assert.Equal("test.csv, column 'label': every row has class 1; classification needs at least two classes.", e.Message);
    }

    [Fact]
    public void Bad_options_and_arguments_name_the_parameter()
    {
        Assert.Equal("ClassCount", Assert.Throws<ArgumentOutOfRangeException>(() => Parse("a,label\n1,0\n", new CsvDatasetOptions { ClassCount = 1 })).ParamName);
        Assert.Equal("ClassCount", Assert.Throws<ArgumentOutOfRangeException>(() => Parse("a,label\n1,0\n", new CsvDatasetOptions { ClassCount = CsvDataset.MaxClassCount + 1 })).ParamName);
        Assert.Equal("LabelColumn", Assert.Throws<ArgumentException>(() => Parse("a,label\n1,0\n", new CsvDatasetOptions { LabelColumn = " " })).ParamName);
        Assert.Equal("reader", Assert.Throws<ArgumentNullException>(() => CsvDataset.Parse(null!, "x")).ParamName);
        Assert.Equal("sourceName", Assert.Throws<ArgumentException>(() => CsvDataset.Parse(new StringReader("a,label\n1,0\n"), "")).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => CsvDataset.Load(" ")).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => CsvDataset.LoadTable("")).ParamName);
    }

    [Fact]
    public void A_table_without_a_label_column_has_features_only()
    {
        CsvTable table = CsvDataset.ParseTable(new StringReader("a,b\n1,2\n3,4\n5,6\n"), "score.csv");

        Assert.False(table.HasLabels);
        Assert.True(table.Labels.IsEmpty);
        Assert.Equal(3, table.Count);
        Assert.Equal(2, table.FeatureCount);
        Assert.Equal(["a", "b"], table.FeatureNames);
        Assert.Equal([3f, 4f], table.GetFeatures(1).ToArray());
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => table.GetFeatures(3)).ParamName);
    }

    [Fact]
    public void A_table_with_a_label_column_keeps_single_class_labels()
    {
        CsvTable table = CsvDataset.ParseTable(new StringReader("a,label\n1,2\n3,2\n"), "score.csv");

        Assert.True(table.HasLabels);
        Assert.Equal([2, 2], table.Labels.ToArray());
        Assert.Equal([1f, 3f], table.Features.ToArray());
    }

    [Fact]
    public void A_table_still_rejects_bad_values()
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvDataset.ParseTable(new StringReader("a,b\n1,2\n3,x\n"), "score.csv"));
        Assert.Equal("score.csv, line 3, column 'b': 'x' is not a number (numbers use '.' as the decimal point).", e.Message);
    }
}
