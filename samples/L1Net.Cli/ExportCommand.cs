using System.CommandLine;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Networks;
using L1Net.Onnx;
using L1Net.Serialization;

namespace L1Net.Cli;

/// <summary>
/// <c>export MODEL --onnx FILE</c>: writes a saved model as ONNX (opset 17) with its standardization, feature and class
/// names, label column and provenance, so ONNX Runtime or ML.NET can score raw CSV rows with it. See docs/deployment.md.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "A model file saved by train (it holds the feature names and the standardization)." };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write (replaced if it exists).", HelpName = "file", Required = true };
        var command = new Command("export", "Export a saved model to ONNX, with its standardization, feature and class names and metadata.")
        {
            model, onnx,
        };
        command.SetAction(parse => Run(output, error, parse.GetRequiredValue(model), parse.GetRequiredValue(onnx)));
        return command;
    }

    private static int Run(TextWriter output, TextWriter error, string modelPath, string onnxPath)
    {
        FilePaths.RequireModelFile(modelPath);

        FilePaths.RefuseToOverwrite("--onnx", onnxPath, ("the model", modelPath));
        ClassificationModel model = ModelSerializer.LoadFromFile(modelPath);
        try
        {
            OnnxExporter.ExportToFile(model, FilePaths.WriteTarget(onnxPath));
        }
        catch (NotSupportedException e)
        {
            throw new CliException($"{modelPath} cannot be exported to ONNX: {e.Message}");
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{modelPath} cannot be exported to ONNX: {e.Message}");
        }

        DenseNetwork network = model.Network;
        bool standardized = model.Preprocessor is Standardizer;
        output.WriteLine($"wrote {onnxPath}: ONNX opset {OnnxExporter.OpsetVersion}, input 'features' [N, {network.InputSize}], outputs '{(network.Layers[^1].Activation == Activation.Identity ? "scores" : "probabilities")}' [N, {network.OutputSize}] and 'class' [N]{(standardized ? ", standardization included" : string.Empty)}");
        if (model.LabelName is null && model.Preprocessor is null && model.Provenance is null)
        {
            error.WriteLine($"note: {modelPath} holds the network alone (a version 1 file): the ONNX model takes the features as they are (no standardization).");
        }

        return ExitCodes.Success;
    }
}
