namespace L1Net.Cli.Tests;

/// <summary>Every bad input gets exactly one line on stderr starting 'error: ', a non-zero exit code, and no stack trace.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Train(string csvText, params string[] extra)
    {
        string path = _cli.Write("data.csv", csvText);
        return _cli.Run(["train", path, "--epochs", "2", "--test-split", "0", "--model", _cli.PathOf("m.json"), .. extra]).AssertOneLineError(1);
    }

    [Fact]
    public void A_missing_file()
    {
        string path = _cli.PathOf("missing.csv");
        Assert.Equal($"error: CSV file not found: {path}", _cli.Run("train", path).AssertOneLineError(1));
        Assert.False(File.Exists(_cli.PathOf("m.json")));
    }

    [Fact]
    public void An_empty_file() =>
        Assert.EndsWith("data.csv: the file is empty; expected a header row, then one row per sample.", Train(string.Empty), StringComparison.Ordinal);

    [Fact]
    public void A_header_without_rows() =>
        Assert.EndsWith("data.csv: the file has a header but no data rows.", Train("a,b,label\n"), StringComparison.Ordinal);

    [Fact]
    public void Ragged_rows() =>
        Assert.EndsWith("data.csv, line 3: the row has 2 values, but the header has 3 columns.", Train("a,b,label\n1,2,0\n1,1\n"), StringComparison.Ordinal);

    [Fact]
    public void A_non_number() =>
        Assert.EndsWith("data.csv, line 3, column 'b': 'x' is not a number (numbers use '.' as the decimal point).", Train("a,b,label\n1,2,0\n1,x,1\n"), StringComparison.Ordinal);

    [Fact]
    public void A_decimal_comma_is_not_a_number() =>
        Assert.Contains("line 2: the row has 4 values", Train("a,b,label\n1,5,2,0\n1,2,1\n"), StringComparison.Ordinal);

    [Fact]
    public void NaN_and_infinity() =>
        Assert.Contains("column 'a': 'NaN' is not a finite number", Train("a,b,label\n1,2,0\nNaN,2,1\n"), StringComparison.Ordinal);

    [Fact]
    public void A_missing_label_column() =>
        Assert.EndsWith("data.csv, line 1: there is no 'label' column; name the class label column with the label column option, or give its position (the header's columns are 'a', 'b', 'class').", Train("a,b,class\n1,2,0\n3,4,1\n"), StringComparison.Ordinal);

    [Fact]
    public void One_class_only() =>
        Assert.EndsWith("data.csv, column 'label': every row has class 0; classification needs at least two classes.", Train("a,label\n1,0\n2,0\n"), StringComparison.Ordinal);

    [Fact]
    public void A_tiny_file_with_a_huge_label_is_one_line_not_out_of_memory()
    {
        // 120 KB of rows labelled 0 and one labelled 65535: this allocated 5.2 GB and died with exit 134 (issue 10, item 5).
        var text = new System.Text.StringBuilder("a,label\n");
        while (text.Length < 120_000)
        {
            text.Append("1,0\n");
        }

        text.Append("2,65535\n");
        Assert.Contains("column 'label': label 65535 is implausibly large", Train(text.ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_label() =>
        Assert.Contains("line 3, column 'label': '-1' is not a class label", Train("a,label\n1,0\n2,-1\n"), StringComparison.Ordinal);

    [Fact]
    public void A_fractional_label() =>
        Assert.Contains("line 2, column 'label': '0.5' is not a class label", Train("a,label\n1,0.5\n2,1\n"), StringComparison.Ordinal);

    [Fact]
    public void A_test_file_with_other_columns()
    {
        string test = _cli.Write("test.csv", "a,c,label\n1,2,0\n");
        Assert.Contains("test.csv: column 2 is 'c', but in", Train("a,b,label\n1,2,0\n3,4,1\n", "--test", test), StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_file_with_an_unseen_class()
    {
        string test = _cli.Write("test.csv", "a,b,label\n1,2,0\n1,2,5\n");
        Assert.Contains("test.csv, line 3, column 'label': unknown label '5': the known classes are 0, 1.", Train("a,b,label\n1,2,0\n3,4,1\n", "--test", test), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be at least 1, not 0.")]
    [InlineData("--epochs", "many", "'many'")]
    [InlineData("--learning-rate", "0", "--learning-rate must be a finite number above 0")]
    [InlineData("--lr", "-1", "--learning-rate must be a finite number above 0")]
    [InlineData("--batch-size", "0", "--batch-size must be at least 1")]
    [InlineData("--momentum", "1", "--momentum must be at least 0 and below 1")]
    [InlineData("--test-split", "1", "--test-split must be at least 0 and below 1")]
    [InlineData("--hidden", "16,x", "--hidden must be comma-separated layer sizes from 1 to 4096 (e.g. 16,8) or 'none', not '16,x'.")]
    [InlineData("--hidden", "0", "--hidden must be comma-separated layer sizes")]
    [InlineData("--activation", "softmax", "--activation must be one of tanh, sigmoid, relu, identity, not 'softmax'.")]
    [InlineData("--loss", "hinge", "--loss must be one of crossentropy, squared, not 'hinge'.")]
    [InlineData("--regularizer", "l3", "--regularizer must be one of none, l1, l2, elasticnet, proximal-l1, cumulative-l1, proximal-elasticnet, group-l1, unit-l1, sparse-group-l1, not 'l3'.")]
    [InlineData("--lambda", "0.1", "--lambda needs a regularizer")]
    [InlineData("--l1-ratio", "2", "--l1-ratio must be between 0 and 1")]
    [InlineData("--threshold", "-1", "--threshold must be a finite number >= 0")]
    [InlineData("--folds", "1", "--folds must be at least 2")]
    [InlineData("--label-position", "0", "--label-position must be at least 1")]
    [InlineData("--delimiter", ";;", "--delimiter must be one character or 'tab'")]
    [InlineData("--frobnicate", "1", "--frobnicate")]
    public void A_bad_option_value(string option, string value, string expected)
    {
        CliResult r = option == "--model"
            ? _cli.Run("train", CliRunner.Iris, option, value)
            : _cli.Run("train", CliRunner.Iris, option, value, "--model", _cli.PathOf("m.json"));
        string line = r.AssertOneLineError(2);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("m.json")));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("NaN")]
    public void A_bad_lambda(string value) =>
        Assert.Equal($"error: --lambda must be a finite number >= 0 or 'cv', not '{value}'.", _cli.Run("train", CliRunner.Iris, "--regularizer", "l1", "--lambda", value).AssertOneLineError(2));

    [Fact]
    public void A_missing_argument() =>
        Assert.Equal("error: Required argument missing for command: 'train'. (see 'train --help')", _cli.Run("train").AssertOneLineError(2));

    [Fact]
    public void An_unknown_command() =>
        Assert.Equal("error: Unrecognized command or argument 'fit'. (see '--help')", _cli.Run("fit", CliRunner.Iris).AssertOneLineError(2));

    [Fact]
    public void A_model_path_in_a_missing_folder()
    {
        string line = _cli.Run("train", CliRunner.Iris, "--epochs", "1", "--model", _cli.PathOf("no/such/dir/m.json")).AssertOneLineError(2);
        Assert.Equal($"error: --model: the folder {_cli.PathOf("no/such/dir")} does not exist.", line);
    }
}
