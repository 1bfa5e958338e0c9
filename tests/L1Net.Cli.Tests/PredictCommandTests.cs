using System.Globalization;

namespace L1Net.Cli.Tests;

public sealed class PredictCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private string TrainIris(params string[] extra)
    {
        string model = _cli.PathOf("iris.json");
        CliResult r = _cli.Run(["train", CliRunner.Iris, "--test-split", "0", "--epochs", "100", "--hidden", "6", "--model", model, .. extra]);
        Assert.Equal(0, r.ExitCode);
        return model;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Train_save_predict_round_trip_on_iris_gives_the_training_accuracy(bool standardize)
    {
        string model = TrainIris(standardize ? [] : ["--no-standardize"]);
        double trainAccuracy = TrainCommandTests.Accuracy(_cli.Run(["train", CliRunner.Iris, "--test-split", "0", "--epochs", "100", "--hidden", "6", "--model", _cli.PathOf("again.json"), .. standardize ? Array.Empty<string>() : ["--no-standardize"]]).Output, "train");

        CliResult r = _cli.Run("predict", model, CliRunner.Iris);

        Assert.Equal(0, r.ExitCode);
        string summary = Assert.Single(r.ErrorLines);
        int correct = (int)Math.Round(trainAccuracy * 150);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"accuracy {trainAccuracy:F4} ({correct} of 150 rows) on {CliRunner.Iris}"), summary.TrimEnd('\r'));
        Assert.InRange(trainAccuracy, 0.9, 1.0);

        string[] lines = r.OutputLines;
        Assert.Equal(151, lines.Length);
        Assert.Equal("predicted,p0,p1,p2", lines[0].TrimEnd('\r'));
        string[] first = lines[1].Split(',');
        Assert.Equal("0", first[0]);
        double sum = first.Skip(1).Sum(p => double.Parse(p, CultureInfo.InvariantCulture));
        Assert.Equal(1.0, sum, 4);
    }

    [Fact]
    public void Predictions_go_to_a_file_and_the_summary_to_stdout_with_output()
    {
        string model = TrainIris();
        string predictions = _cli.PathOf("predictions.csv");
        CliResult r = _cli.Run("predict", model, CliRunner.Iris, "--output", predictions);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Error);
        Assert.StartsWith("accuracy ", r.OutputLines[0], StringComparison.Ordinal);
        Assert.Equal($"wrote 150 predictions to {predictions}", r.OutputLines[1].TrimEnd('\r'));
        Assert.Equal(151, File.ReadAllLines(predictions).Length);
    }

    [Fact]
    public void A_file_without_labels_is_scored_without_accuracy_and_single_class_files_are_fine()
    {
        string model = TrainIris();
        string unlabeled = _cli.Write("new.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5.1,3.5,1.4,0.2\n6.3,3.3,6.0,2.5\n");
        CliResult r = _cli.Run("predict", model, unlabeled);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["predicted,p0,p1,p2", "0", "2"], r.OutputLines.Select(l => l.TrimEnd('\r').Split(',')[0] == "predicted" ? l.TrimEnd('\r') : l.Split(',')[0]));
        Assert.Equal($"scored 2 rows of {unlabeled} (no 'label' column, so no accuracy)", Assert.Single(r.ErrorLines).TrimEnd('\r'));

        string oneClass = _cli.Write("setosa.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,label\n5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n");
        CliResult s = _cli.Run("predict", model, oneClass);
        Assert.Equal(0, s.ExitCode);
        Assert.StartsWith("accuracy 1.0000 (2 of 2 rows)", Assert.Single(s.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_metadata_predict_uses_raw_features_and_says_so()
    {
        string model = TrainIris("--no-standardize");
        File.Delete(_cli.PathOf("iris.meta.json"));
        CliResult r = _cli.Run("predict", model, CliRunner.Iris);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, r.ErrorLines.Length);
        Assert.StartsWith("note: ", r.ErrorLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_predict_inputs_fail_in_one_line()
    {
        string model = TrainIris();
        Assert.Contains("model file not found", _cli.Run("predict", _cli.PathOf("none.json"), CliRunner.Iris).AssertOneLineError(1), StringComparison.Ordinal);

        string corrupt = _cli.Write("corrupt.json", "{ \"format\": \"L1Net.Network\", \"version\": 1");
        Assert.Contains("not valid JSON", _cli.Run("predict", corrupt, CliRunner.Iris).AssertOneLineError(1), StringComparison.Ordinal);

        string fewer = _cli.Write("fewer.csv", "sepal_length_cm,sepal_width_cm,label\n5.1,3.5,0\n");
        Assert.Contains("has 2 feature columns, but the model takes 4 inputs", _cli.Run("predict", model, fewer).AssertOneLineError(1), StringComparison.Ordinal);

        string renamed = _cli.Write("renamed.csv", "a,sepal_width_cm,petal_length_cm,petal_width_cm,label\n5.1,3.5,1.4,0.2,0\n");
        Assert.Contains("column 1 is 'a', but the model was trained with 'sepal_length_cm' there", _cli.Run("predict", model, renamed).AssertOneLineError(1), StringComparison.Ordinal);

        string unknownClass = _cli.Write("class7.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,label\n5.1,3.5,1.4,0.2,7\n");
        Assert.Contains("line 2, column 'label': label 7 is outside the 3 known classes", _cli.Run("predict", model, unknownClass).AssertOneLineError(1), StringComparison.Ordinal);

        string ragged = _cli.Write("ragged.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5.1,3.5,1.4\n");
        Assert.Contains("line 2: the row has 3 values, but the header has 4 columns", _cli.Run("predict", model, ragged).AssertOneLineError(1), StringComparison.Ordinal);

        File.WriteAllText(_cli.PathOf("iris.meta.json"), "{ \"format\": \"something else\" }");
        Assert.Contains("iris.meta.json is not a valid model metadata file", _cli.Run("predict", model, CliRunner.Iris).AssertOneLineError(1), StringComparison.Ordinal);

        _cli.Run("predict", model).AssertOneLineError(2);
    }
}
