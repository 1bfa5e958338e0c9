using System.CommandLine;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Networks;
using L1Net.Serialization;
using Spectre.Console;

namespace L1Net.Cli;

/// <summary>
/// <c>predict MODEL DATA.csv</c>: scores a CSV with a model file saved by <c>train</c>, which holds everything needed
/// (network, standardization, feature and class names). Predictions (a CSV: the predicted class name and the probability
/// of each class) go to <c>--output</c> or, by default, to standard output; when the file has the label column the
/// accuracy is printed too (to standard error when the predictions take standard output, so they stay pipeable).
/// </summary>
internal static class PredictCommand
{
    public static Command Create(IAnsiConsole console, TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "A model file saved by train (it holds the network, the standardization and the feature and class names)." };
        var data = new Argument<string>("data") { Description = "CSV to score: the model's feature columns in the same order; the label column (named as in training) is optional." };
        var outputFile = new Option<string?>("--output", "-o") { Description = "Write the predictions to this file instead of standard output.", HelpName = "file" };
        var delimiter = DelimiterOption.Create("file");
        var command = new Command("predict", "Score a CSV file with a saved model; prints the accuracy when the file has labels.")
        {
            model, data, outputFile, delimiter,
        };
        command.SetAction(parse => Run(output, error, parse.GetRequiredValue(model), parse.GetRequiredValue(data), parse.GetValue(outputFile), DelimiterOption.Parse(parse.GetValue(delimiter)!)));
        return command;
    }

    private static int Run(TextWriter output, TextWriter error, string modelPath, string dataPath, string? outputPath, char delimiter)
    {
        FilePaths.RequireModelFile(modelPath);

        if (outputPath is not null)
        {
            // Checked before anything is read or scored, as train checks --model.
            FilePaths.RequireNewFilePath("--output", outputPath, "predictions", "predictions.csv");
            FilePaths.RefuseToOverwrite("--output", outputPath, ("the data being scored", dataPath), ("the model", modelPath));
        }

        ClassificationModel model = ModelSerializer.LoadFromFile(modelPath);
        DenseNetwork network = model.Network;
        if (network.Layers[^1].Activation != Activation.Softmax)
        {
            throw new CliException($"{modelPath} is not a classifier (its output layer must be softmax with at least 2 units).");
        }

        // A version 1 file holds the network alone: no names, no standardization.
        bool bare = model.LabelName is null && model.Preprocessor is null && model.Provenance is null;
        string labelName = model.LabelName ?? CsvDataset.DefaultLabelColumn;
        CsvTable table = CsvDataset.LoadTable(dataPath, new CsvDatasetOptions
        {
            LabelColumn = labelName,
            Delimiter = delimiter,

            // The reader knows at most CsvDataset.MaxClassCount classes; a model may have more outputs, and then the labels of
            // the file are read as integers below that limit (a label of a larger class cannot be read at all).
            ClassNames = model.ClassCount <= CsvDataset.MaxClassCount ? model.ClassNames : null,
            ClassCount = model.ClassCount <= CsvDataset.MaxClassCount ? 0 : CsvDataset.MaxClassCount,
        });
        CheckColumns(table, model, bare);
        if (model.Preprocessor is Standardizer scaling)
        {
            Scaling.Check(scaling, table.Features, dataPath, table.FeatureNames);
        }

        int classes = model.ClassCount;
        var probabilities = new float[table.Count * classes];
        var predicted = new int[table.Count];
        model.PredictProbabilities(table.Features, probabilities);
        model.PredictClasses(table.Features, predicted);

        var text = new StringBuilder();
        text.Append("predicted");
        foreach (string name in model.ClassNames)
        {
            text.Append(',').Append(CsvField("p_" + name));
        }

        text.AppendLine();
        int correct = 0;
        for (int r = 0; r < table.Count; r++)
        {
            if (table.HasLabels && table.Labels[r] == predicted[r])
            {
                correct++;
            }

            text.Append(CsvField(model.ClassNames[predicted[r]]));
            foreach (float p in probabilities.AsSpan(r * classes, classes))
            {
                text.Append(CultureInfo.InvariantCulture, $",{p:F6}");
            }

            text.AppendLine();
        }

        string summary = table.HasLabels
            ? string.Create(CultureInfo.InvariantCulture, $"accuracy {(double)correct / table.Count:F4} ({correct} of {table.Count} rows) on {dataPath}")
            : string.Create(CultureInfo.InvariantCulture, $"scored {table.Count} rows of {dataPath} (no '{labelName}' column, so no accuracy)");
        if (outputPath is null)
        {
            output.Write(text.ToString());
            output.Flush();
            error.WriteLine(summary);
        }
        else
        {
            File.WriteAllText(outputPath, text.ToString());
            output.WriteLine(summary);
            output.WriteLine($"wrote {table.Count} predictions to {outputPath}");
        }

        if (bare)
        {
            error.WriteLine($"note: {modelPath} is a version 1 model file (the network alone): the features were used as they are (no standardization) and their names were not checked; retrain to save a self-contained model.");
        }

        return ExitCodes.Success;
    }

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static void CheckColumns(CsvTable table, ClassificationModel model, bool bare)
    {
        if (table.FeatureCount != model.FeatureCount)
        {
            throw new CliException($"{table.SourceName} has {table.FeatureCount} feature columns, but the model takes {model.FeatureCount} inputs{(bare ? string.Empty : $" ({MessageText.List(model.FeatureNames, 12, n => n.Length <= MessageText.MaxQuotedLength ? n : MessageText.Quote(n))})")}.");
        }

        if (bare)
        {
            return;
        }

        for (int c = 0; c < table.FeatureCount; c++)
        {
            if (!string.Equals(table.FeatureNames[c], model.FeatureNames[c], StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"{table.SourceName}: column {c + 1} is {MessageText.Quote(table.FeatureNames[c])}, but the model was trained with {MessageText.Quote(model.FeatureNames[c])} there.");
            }
        }
    }
}
