using System.CommandLine;
using L1Net.Onnx;
using L1Net.Serialization;

namespace L1Net.Cli;

/// <summary>
/// <c>export MODEL --onnx FILE</c>: writes a saved model as ONNX (opset 17) with its standardization and feature names
/// (from <c>NAME.meta.json</c>), so ONNX Runtime or ML.NET can score raw CSV rows with it. See docs/deployment.md.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "A model saved by train (its NAME.meta.json beside it supplies the feature names and the standardization)." };
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

        string metaPath = ModelMetadata.PathFor(modelPath);
        FilePaths.RefuseToOverwrite("--onnx", onnxPath, ("the model", modelPath), ("the model's metadata file", metaPath));

        DenseNetwork network = NetworkSerializer.LoadFromFile(modelPath);
        ModelMetadata? meta = File.Exists(metaPath) ? ModelMetadata.Load(metaPath) : null;
        if (meta is not null && (meta.FeatureNames.Length != network.InputSize || meta.ClassCount != network.OutputSize))
        {
            throw new CliException($"{metaPath} does not belong to {modelPath}: it describes {meta.FeatureNames.Length} features and {meta.ClassCount} classes, the network has {network.InputSize} inputs and {network.OutputSize} outputs.");
        }

        Standardization? standardization = meta?.Standardization;
        var options = new OnnxExportOptions
        {
            FeatureNames = meta?.FeatureNames,
            Means = standardization?.Mean,
            Scales = standardization?.Scale,
            Description = $"Exported by the L1Net CLI from {Path.GetFileName(modelPath)}.",
            Metadata = meta is null ? null : new Dictionary<string, string> { ["label_column"] = meta.LabelColumn, ["training"] = meta.Training },
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
        if (meta is null)
        {
            error.WriteLine($"note: {metaPath} not found: the ONNX model takes the features as they are (no standardization) and has no feature names.");
        }

        return ExitCodes.Success;
    }
}
