using System.CommandLine;
using L1Net.Onnx;
using L1Net.Serialization;

namespace L1Net.Cli;

/// <summary>
/// <c>export MODEL --onnx FILE</c>: writes a saved model as ONNX (opset 17) with its standardization and feature names
/// (from the model file), so ONNX Runtime or ML.NET can score raw CSV rows with it. See docs/deployment.md.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "A model file saved by train (it holds the feature names and the standardization)." };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write (replaced if it exists).", HelpName = "file", Required = true };
        var command = new Command("export", "Export a saved model to ONNX, with its standardization, feature names and metadata.")
        {
            model, onnx,
        };
        command.SetAction(parse => Run(output, error, parse.GetRequiredValue(model), parse.GetRequiredValue(onnx)));
        return command;
    }

    private static int Run(TextWriter output, TextWriter error, string modelPath, string onnxPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new CliException($"model file not found: {modelPath}");
        }

        FilePaths.RefuseToOverwrite("--onnx", onnxPath, ("the model", modelPath));

        // The model file holds the network, the standardization and the names; a version 1 file holds the network alone.
        ClassificationModel model = ModelSerializer.LoadFromFile(modelPath);
        DenseNetwork network = model.Network;
        bool bare = model.LabelName is null && model.Preprocessor is null && model.Provenance is null;
        Standardizer? standardization = model.Preprocessor as Standardizer;
        var options = new OnnxExportOptions
        {
            FeatureNames = bare ? null : model.FeatureNames,
            Means = standardization?.Means.ToArray(),
            Scales = standardization?.Scales.ToArray(),
            Description = $"Exported by the L1Net CLI from {Path.GetFileName(modelPath)}.",
            Metadata = bare ? null : new Dictionary<string, string> { ["label_column"] = model.LabelName ?? CsvDataset.DefaultLabelColumn, ["training"] = model.Provenance?.Notes ?? string.Empty, ["classes"] = string.Join(",", model.ClassNames) },
        };

        try
        {
            OnnxExporter.ExportToFile(network, FilePaths.WriteTarget(onnxPath), options);
        }
        catch (NotSupportedException e)
        {
            throw new CliException($"{modelPath} cannot be exported to ONNX: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{modelPath} cannot be exported to ONNX: {e.Message}");
        }

        output.WriteLine($"wrote {onnxPath}: ONNX opset {OnnxExporter.OpsetVersion}, input 'features' [N, {network.InputSize}], outputs '{(network.Layers[^1].Activation == Activation.Identity ? "scores" : "probabilities")}' [N, {network.OutputSize}] and 'class' [N]{(standardization is null ? string.Empty : ", standardization included")}");
        if (bare)
        {
            error.WriteLine($"note: {modelPath} is a version 1 model file (the network alone): the ONNX model takes the features as they are (no standardization) and has no feature names.");
        }

        return ExitCodes.Success;
    }
}
