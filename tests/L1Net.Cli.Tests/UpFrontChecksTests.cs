using L1Net.Serialization;

namespace L1Net.Cli.Tests;

/// <summary>
/// What would fail at the end of a run is refused before it: a delimiter the CSV reader refuses is a usage error of
/// --delimiter (it was exit 1 naming the library's 'Delimiter' property), a --model or --output that is a folder or sits
/// in a folder that cannot be written (it trained, then failed to save, naming the temporary file), and column names no
/// model file can hold (it trained and saved a model that every later predict refused). A long network description is
/// cut in the provenance notes, so the saved model loads.
/// </summary>
public sealed class UpFrontChecksTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("\"")]
    [InlineData("a")]
    [InlineData("7")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData(" ")]
    public void A_delimiter_the_reader_refuses_is_a_usage_error_of_the_option(string delimiter)
    {
        string line = _cli.Run("train", CliRunner.Iris, "--delimiter", delimiter, "--epochs", "1", "--model", _cli.PathOf("m.json")).AssertOneLineError(2);
        Assert.Equal($"error: --delimiter cannot be '{delimiter}': it must not be a quote, a letter, a digit, a space, a control character or one of . + - _ (which are parts of numbers and names).", line);
        Assert.False(File.Exists(_cli.PathOf("m.json")));

        line = _cli.Run("predict", _cli.PathOf("m.json"), CliRunner.Iris, "--delimiter", delimiter).AssertOneLineError(2);
        Assert.StartsWith($"error: --delimiter cannot be '{delimiter}'", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("predict")]
    public void The_help_states_the_delimiter_rule_the_check_applies(string command)
    {
        // One definition: the help text and the error message are made from the rule the check applies.
        string rule = "it must not be a quote, a letter, a digit, a space, a control character or one of . + - _ (which are parts of numbers and names)";
        CliResult r = _cli.Run(command, "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(rule, string.Join(' ', r.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\uD800")] // half of a surrogate pair is not a character
    [InlineData("ab")]
    public void A_delimiter_that_is_not_one_character_is_a_usage_error(string delimiter)
    {
        var e = Assert.Throws<CliException>(() => DelimiterOption.Parse(delimiter));
        Assert.Equal($"--delimiter must be one character or 'tab', not '{delimiter}'.", e.Message);
    }

    [Fact]
    public void Tab_and_semicolon_are_still_delimiters()
    {
        string data = _cli.Write("semi.csv", "a;b;label\n1;2;0\n2;1;1\n1;3;0\n3;1;1\n");
        CliResult r = _cli.Run("train", data, "--delimiter", ";", "--epochs", "1", "--test-split", "0", "--no-progress", "--model", _cli.PathOf("m.json"));
        Assert.True(r.ExitCode is 0 or 3, r.Error);
        Assert.Equal('\t', DelimiterOption.Parse("tab"));
    }

    [Fact]
    public void A_model_path_that_is_a_folder_is_refused_before_training()
    {
        string folder = Directory.CreateDirectory(_cli.PathOf("models")).FullName;
        CliResult r = _cli.Run("train", CliRunner.Iris, "--epochs", "1", "--model", folder);
        Assert.Equal($"error: --model {folder} is a folder; name the model file (e.g. {Path.Combine(folder, "model.json")}).", r.AssertOneLineError(2));
        Assert.DoesNotContain("training", r.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a symbolic link: the folder of the file it points to is the one written
    public void A_model_folder_that_cannot_be_written_is_refused_before_training(bool throughLink)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self"))
        {
            return; // /proc refuses new files whoever runs the test (a read-only folder does not stop root)
        }

        string model = "/proc/self/m.json";
        if (throughLink)
        {
            model = _cli.PathOf("current.json");
            File.CreateSymbolicLink(model, "/proc/self/m.json");
        }

        CliResult r = _cli.Run("train", CliRunner.Iris, "--epochs", "1", "--model", model);
        Assert.Matches(@"^error: --model: cannot write in the folder /proc/(self|\d+) \(", r.AssertOneLineError(2));
        Assert.DoesNotContain("training", r.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feature")]
    [InlineData("label")]
    [InlineData("class")]
    public void A_name_no_model_file_can_hold_is_refused_before_training(string where)
    {
        int max = ModelSerializer.MaxNameLength;
        string name = new('n', max + 1);
        (string csv, string problem) = where switch
        {
            "feature" => ($"{name},b,label\n1,2,0\n2,1,1\n1,3,0\n3,1,1\n", $"the name of feature column 1 is {name.Length} characters long; a model file holds names of at most {max} characters"),
            "label" => ($"a,b,{name}\n1,2,0\n2,1,1\n1,3,0\n3,1,1\n", $"the name of the label column is {name.Length} characters long; a model file holds names of at most {max} characters"),
            _ => ($"a,b,label\n1,2,{name}\n2,1,short\n1,3,{name}\n3,1,short\n", $"a class label is {name.Length} characters long; a model file holds class names of at most {max} characters"),
        };
        string data = _cli.Write("long.csv", csv);

        CliResult r = _cli.Run("train", data, "--label-position", "3", "--epochs", "1", "--test-split", "0", "--model", _cli.PathOf("m.json"));

        Assert.Equal($"error: {data}: {problem}: shorten it.", r.AssertOneLineError(1));
        Assert.DoesNotContain("training", r.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("m.json")));
    }

    [Fact]
    public void A_deep_network_saves_a_model_that_loads()
    {
        string hidden = string.Join(",", Enumerable.Repeat("1", 160)); // "4-1 tanh-1 tanh-...": over 1024 characters of notes
        string model = _cli.PathOf("deep.json");
        CliResult train = _cli.Run("train", CliRunner.Iris, "--hidden", hidden, "--epochs", "1", "--no-progress", "--model", model);
        Assert.True(train.ExitCode is 0 or 3, train.Error);

        string notes = ModelSerializer.LoadFromFile(model).Provenance!.Notes;
        Assert.Equal(ModelSerializer.MaxNameLength, notes.Length);
        Assert.EndsWith("...", notes, StringComparison.Ordinal);
        Assert.Equal(0, _cli.Run("predict", model, CliRunner.Iris, "--output", _cli.PathOf("p.csv")).ExitCode);
    }

    [Fact]
    public void Notes_are_cut_without_splitting_a_surrogate_pair()
    {
        int max = ModelSerializer.MaxNameLength;
        string text = new string('a', max - 4) + "\U0001F600" + "tail";
        string cut = TrainCommand.FitAModelFile(text);
        Assert.True(cut.Length <= max);
        Assert.Equal(new string('a', max - 4) + "...", cut);
        Assert.Equal("short", TrainCommand.FitAModelFile("short"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    public void A_label_position_that_is_not_a_whole_number_names_the_option_not_a_dotnet_type(string value)
    {
        string line = _cli.Run("train", CliRunner.Iris, "--label-position", value, "--model", _cli.PathOf("m.json")).AssertOneLineError(2);
        Assert.Equal($"error: --label-position must be a whole number, not '{value}'. (see 'train --help')", line);
    }

    [Fact]
    public void A_network_too_large_for_the_data_is_a_usage_error_before_training()
    {
        string hidden = string.Join(",", Enumerable.Repeat("4096", 17));
        CliResult r = _cli.Run("train", CliRunner.Iris, "--hidden", hidden, "--epochs", "1", "--model", _cli.PathOf("m.json"));
        Assert.Equal(
            $"error: --hidden {hidden}: the network for 4 features and 3 classes would have 268533763 parameters, more than the {DenseNetwork.MaxParameterCount} a network may have.",
            r.AssertOneLineError(2));
        Assert.DoesNotContain("training", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_column_name_is_quoted_bounded_in_a_mismatch_message()
    {
        string model = _cli.PathOf("m.json");
        Assert.Equal(0, _cli.Run("train", CliRunner.Iris, "--epochs", "1", "--no-progress", "--model", model).ExitCode);
        string huge = new('h', 1_000_000);
        string data = _cli.Write("huge.csv", $"{huge},sepal_width_cm,petal_length_cm,petal_width_cm\n1,2,3,4\n");

        string line = _cli.Run("predict", model, data).AssertOneLineError(1);

        Assert.Equal($"error: {data}: column 1 is '{new string('h', 64)}...' (1000000 characters), but the model was trained with 'sepal_length_cm' there.", line);
    }

    [Fact]
    public void A_test_file_and_a_test_split_together_are_a_usage_error()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--test", CliRunner.Iris, "--test-split", "0.5", "--epochs", "1", "--model", _cli.PathOf("m.json"));
        Assert.Equal("error: give the test rows either as a file (--test) or as a fraction held out (--test-split), not both.", r.AssertOneLineError(2));
        Assert.False(File.Exists(_cli.PathOf("m.json")));

        Assert.Equal(0, _cli.Run("train", CliRunner.Iris, "--test", CliRunner.Iris, "--epochs", "1", "--no-progress", "--model", _cli.PathOf("m.json")).ExitCode);
        Assert.Equal(0, _cli.Run("train", CliRunner.Iris, "--test", CliRunner.Iris, "--test-split", "0", "--epochs", "1", "--no-progress", "--model", _cli.PathOf("m2.json")).ExitCode);
    }

    [Fact]
    public void Predict_refuses_an_output_folder_or_a_missing_folder_before_scoring()
    {
        string model = _cli.PathOf("m.json");
        Assert.Equal(0, _cli.Run("train", CliRunner.Iris, "--epochs", "1", "--no-progress", "--model", model).ExitCode);
        string folder = Directory.CreateDirectory(_cli.PathOf("out")).FullName;

        Assert.Equal(
            $"error: --output {folder} is a folder; name the predictions file (e.g. {Path.Combine(folder, "predictions.csv")}).",
            _cli.Run("predict", model, CliRunner.Iris, "--output", folder).AssertOneLineError(2));
        Assert.Equal(
            $"error: --output: the folder {_cli.PathOf("missing")} does not exist.",
            _cli.Run("predict", model, CliRunner.Iris, "--output", _cli.PathOf("missing/p.csv")).AssertOneLineError(2));
        Assert.Equal(
            $"error: {folder} is a folder, not a model file.",
            _cli.Run("predict", folder, CliRunner.Iris).AssertOneLineError(1));
        Assert.Equal(
            $"error: {folder} is a folder, not a model file.",
            _cli.Run("export", folder, "--onnx", _cli.PathOf("m.onnx")).AssertOneLineError(1));
    }
}
