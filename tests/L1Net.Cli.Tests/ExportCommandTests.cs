using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace L1Net.Cli.Tests;

public sealed class ExportCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Exported_model_scores_raw_rows_as_predict_does(bool standardize)
    {
        string model = _cli.PathOf("iris.json");
        Assert.Equal(0, _cli.Run(["train", CliRunner.Iris, "--test-split", "0", "--epochs", "60", "--hidden", "6", "--model", model, .. standardize ? Array.Empty<string>() : ["--no-standardize"]]).ExitCode);
        string onnx = _cli.PathOf("iris.onnx");

        CliResult r = _cli.Run("export", model, "--onnx", onnx);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Error);
        Assert.Equal($"wrote {onnx}: ONNX opset 17, input 'features' [N, 4], outputs 'probabilities' [N, 3] and 'class' [N]{(standardize ? ", standardization included" : string.Empty)}", r.OutputLines[0].TrimEnd('\r'));

        // The CLI's own predictions on the raw CSV rows.
        string[] predicted = _cli.Run("predict", model, CliRunner.Iris).OutputLines.Skip(1).ToArray();
        Assert.Equal(150, predicted.Length);

        CsvTable table = CsvDataset.LoadTable(CliRunner.Iris);
        using var session = new InferenceSession(onnx);
        Assert.Equal("[\"sepal_length_cm\",\"sepal_width_cm\",\"petal_length_cm\",\"petal_width_cm\"]", session.ModelMetadata.CustomMetadataMap["l1net.feature_names"]);
        Assert.Equal(standardize ? "true" : "false", session.ModelMetadata.CustomMetadataMap["l1net.standardized"]);
        Assert.Equal("label", session.ModelMetadata.CustomMetadataMap["label_column"]);
        using OrtValue x = OrtValue.CreateTensorValueFromMemory(table.Features.ToArray(), [table.Count, table.FeatureCount]);
        using var run = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(run, ["features"], [x], ["probabilities", "class"]);
        ReadOnlySpan<float> probabilities = outputs[0].GetTensorDataAsSpan<float>();
        ReadOnlySpan<long> classes = outputs[1].GetTensorDataAsSpan<long>();
        for (int row = 0; row < 150; row++)
        {
            string[] fields = predicted[row].TrimEnd('\r').Split(',');
            Assert.Equal(long.Parse(fields[0], CultureInfo.InvariantCulture), classes[row]);
            for (int k = 0; k < 3; k++)
            {
                // predict prints six decimals.
                Assert.Equal(double.Parse(fields[k + 1], CultureInfo.InvariantCulture), probabilities[(row * 3) + k], 5.1e-6);
            }
        }
    }

    [Fact]
    public void Export_refuses_a_missing_model_and_overwriting_the_model()
    {
        _cli.Run("export", _cli.PathOf("missing.json"), "--onnx", _cli.PathOf("x.onnx")).AssertOneLineError(1);
        Assert.False(File.Exists(_cli.PathOf("x.onnx")));

        string model = _cli.PathOf("iris.json");
        Assert.Equal(0, _cli.Run("train", CliRunner.Iris, "--test-split", "0", "--epochs", "5", "--model", model).ExitCode);
        string before = File.ReadAllText(model);
        string message = _cli.Run("export", model, "--onnx", model).AssertOneLineError(2);
        Assert.Contains("is the same file as the model", message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(model));
    }

    [Fact]
    public void Export_without_onnx_option_is_a_usage_error() =>
        _cli.Run("export", "model.json").AssertOneLineError(2);
}
