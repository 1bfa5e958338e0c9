using System.Globalization;
using L1Net.Serialization;

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
        Assert.Equal("predicted,p_0,p_1,p_2", lines[0].TrimEnd('\r'));
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
        Assert.Equal(["predicted,p_0,p_1,p_2", "0", "2"], r.OutputLines.Select(l => l.TrimEnd('\r').Split(',')[0] == "predicted" ? l.TrimEnd('\r') : l.Split(',')[0]));
        Assert.Equal($"scored 2 rows of {unlabeled} (no 'label' column, so no accuracy)", Assert.Single(r.ErrorLines).TrimEnd('\r'));

        string oneClass = _cli.Write("setosa.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,label\n5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n");
        CliResult s = _cli.Run("predict", model, oneClass);
        Assert.Equal(0, s.ExitCode);
        Assert.StartsWith("accuracy 1.0000 (2 of 2 rows)", Assert.Single(s.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_file_alone_is_enough_no_side_file_is_written_or_read()
    {
        string model = TrainIris();
        Assert.Equal(["iris.json"], Directory.GetFiles(_cli.Directory).Select(Path.GetFileName));
        string elsewhere = Path.Combine(_cli.Directory, "moved");
        Directory.CreateDirectory(elsewhere);
        File.Move(model, Path.Combine(elsewhere, "m.json"));
        File.WriteAllText(Path.Combine(elsewhere, "m.meta.json"), "{ \"mean\": [100, 100, 100, 100] }"); // an old side file is ignored

        CliResult r = _cli.Run("predict", Path.Combine(elsewhere, "m.json"), CliRunner.Iris);

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("accuracy 0.9", Assert.Single(r.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_1_network_file_still_predicts_on_raw_features_and_says_so()
    {
        string model = TrainIris("--no-standardize");
        ClassificationModel saved = ModelSerializer.LoadFromFile(model);
        string v1 = _cli.PathOf("v1.json");
        NetworkSerializer.SaveToFile(saved.Network, v1);
        CliResult expected = _cli.Run("predict", model, CliRunner.Iris);

        CliResult r = _cli.Run("predict", v1, CliRunner.Iris);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, r.ErrorLines.Length);
        Assert.Equal(expected.ErrorLines[0], r.ErrorLines[0]);
        Assert.StartsWith("note: ", r.ErrorLines[1], StringComparison.Ordinal);
        Assert.Equal(expected.Output, r.Output);
    }

    [Fact]
    public void String_labels_anywhere_with_another_delimiter_train_and_predict_class_names()
    {
        string[] names = ["setosa", "versicolor", "virginica"];
        string[] iris = File.ReadAllLines(CliRunner.Iris);
        string species = _cli.Write("species.csv", string.Join("\n", iris.Select((line, i) =>
        {
            string[] f = line.Split(',');
            return string.Join(';', [i == 0 ? "species" : names[int.Parse(f[4], CultureInfo.InvariantCulture)], .. f[..4]]);
        })) + "\n");
        string model = _cli.PathOf("species.json");
        CliResult t = _cli.Run("train", species, "--label", "species", "--delimiter", ";", "--epochs", "60", "--hidden", "6", "--test-split", "0", "--model", model);
        Assert.Equal(0, t.ExitCode);
        Assert.Contains("classes setosa, versicolor, virginica", t.Output, StringComparison.Ordinal);

        CliResult p = _cli.Run("predict", model, species, "--delimiter", ";");
        Assert.Equal(0, p.ExitCode);
        Assert.Equal("predicted,p_setosa,p_versicolor,p_virginica", p.OutputLines[0].TrimEnd('\r'));
        Assert.Equal("setosa", p.OutputLines[1].Split(',')[0]);
        Assert.Equal("virginica", p.OutputLines[^1].Split(',')[0]);
        Assert.Equal(TrainCommandTests.Accuracy(t.Output, "train").ToString("F4", CultureInfo.InvariantCulture), p.ErrorLines[0].Split(' ')[1]);

        // By position (1 = first column) instead of by name.
        CliResult byPosition = _cli.Run("train", species, "--label-position", "1", "--delimiter", ";", "--epochs", "60", "--hidden", "6", "--test-split", "0", "--model", _cli.PathOf("pos.json"));
        Assert.Equal(0, byPosition.ExitCode);
        Assert.Equal(File.ReadAllText(model).Split("\"provenance\"")[0], File.ReadAllText(_cli.PathOf("pos.json")).Split("\"provenance\"")[0]);

        string unknown = _cli.Write("unknown.csv", "species;sepal_length_cm;sepal_width_cm;petal_length_cm;petal_width_cm\nsetosa;5.1;3.5;1.4;0.2\nSetosa;4.9;3;1.4;0.2\n");
        Assert.Contains("line 3, column 'species': unknown label 'Setosa': the known classes are setosa, versicolor, virginica.", _cli.Run("predict", model, unknown, "--delimiter", ";").AssertOneLineError(1), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("tr-TR")]
    [InlineData("fr-FR")]
    public void A_model_saved_by_train_predicts_with_the_same_accuracy_under_any_culture(string culture)
    {
        string model = TrainIris();
        CliResult invariant = _cli.Run("predict", model, CliRunner.Iris);
        byte[] file = File.ReadAllBytes(model);
        CultureInfo saved = CultureInfo.CurrentCulture, savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            string again = _cli.PathOf("again.json");
            Assert.Equal(0, _cli.Run("train", CliRunner.Iris, "--test-split", "0", "--epochs", "100", "--hidden", "6", "--model", again).ExitCode);
            CliResult r = _cli.Run("predict", model, CliRunner.Iris);
            Assert.Equal(0, r.ExitCode);
            Assert.Equal(invariant.Output, r.Output);
            Assert.Equal(invariant.ErrorLines, r.ErrorLines);
            Assert.Equal(ModelSerializer.LoadFromFile(model).Network.Parameters.ToArray(), ModelSerializer.LoadFromFile(again).Network.Parameters.ToArray());
            Assert.Equal(file.Length, new FileInfo(again).Length);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
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
        Assert.Contains("line 2, column 'label': unknown label '7': the known classes are 0, 1, 2.", _cli.Run("predict", model, unknownClass).AssertOneLineError(1), StringComparison.Ordinal);

        string ragged = _cli.Write("ragged.csv", "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5.1,3.5,1.4\n");
        Assert.Contains("line 2: the row has 3 values, but the header has 4 columns", _cli.Run("predict", model, ragged).AssertOneLineError(1), StringComparison.Ordinal);

        string wrongFormat = _cli.Write("other.json", "{ \"format\": \"something else\" }");
        Assert.Contains("'format' must be \"L1Net.Model\"", _cli.Run("predict", wrongFormat, CliRunner.Iris).AssertOneLineError(1), StringComparison.Ordinal);

        _cli.Run("predict", model).AssertOneLineError(2);
    }
}
