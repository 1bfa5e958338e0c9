using System.CommandLine;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using L1Net.Serialization;
using Spectre.Console;

namespace L1Net.Cli;

/// <summary>
/// <c>predict MODEL DATA.csv</c>: scores a CSV with a saved model. Predictions (a CSV: the predicted class and the
/// probability of each class) go to <c>--output</c> or, by default, to standard output; when the file has a label column
/// the accuracy is printed too (to standard error when the predictions take standard output, so they stay pipeable).
/// </summary>
internal static class PredictCommand
{
    public static Command Create(IAnsiConsole console, TextWriter output, TextWriter error)
    {
        var model = new Argument<string>("model") { Description = "A model saved by train (its NAME.meta.json beside it supplies the feature names and the standardization)." };
        var data = new Argument<string>("data") { Description = "CSV to score: the same feature columns as in training; a 'label' column is optional." };
        var outputFile = new Option<string?>("--output", "-o") { Description = "Write the predictions to this file instead of standard output.", HelpName = "file" };
        var command = new Command("predict", "Score a CSV file with a saved model; prints the accuracy when the file has labels.")
        {
            model, data, outputFile,
        };
        command.SetAction(parse => Run(console, output, error, parse.GetRequiredValue(model), parse.GetRequiredValue(data), parse.GetValue(outputFile)));
        return command;
    }

    private static int Run(IAnsiConsole console, TextWriter output, TextWriter error, string modelPath, string dataPath, string? outputPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new CliException($"model file not found: {modelPath}");
        }

        string metaPath = ModelMetadata.PathFor(modelPath);
        if (outputPath is not null)
        {
            FilePaths.RefuseToOverwrite("--output", outputPath, ("the data being scored", dataPath), ("the model", modelPath), ("the model's metadata file", metaPath));
        }

        DenseNetwork network = NetworkSerializer.LoadFromFile(modelPath);
        if (network.OutputSize < 2 || network.Layers[^1].Activation != Activation.Softmax)
        {
            throw new CliException($"{modelPath} is not a classifier (its output layer must be softmax with at least 2 units).");
        }

        ModelMetadata? meta = File.Exists(metaPath) ? ModelMetadata.Load(metaPath) : null;
        if (meta is not null && (meta.FeatureNames.Length != network.InputSize || meta.ClassCount != network.OutputSize))
        {
            throw new CliException($"{metaPath} does not belong to {modelPath}: it describes {meta.FeatureNames.Length} features and {meta.ClassCount} classes, the network has {network.InputSize} inputs and {network.OutputSize} outputs.");
        }

        CsvTable table = CsvDataset.LoadTable(dataPath, new CsvDatasetOptions
        {
            LabelColumn = meta?.LabelColumn ?? CsvDataset.DefaultLabelColumn,
            // The reader's class limit is CsvDataset.MaxClassCount; a model may have more outputs, and then the labels of the
            // file are checked against that limit (a label of a larger class cannot be read at all).
            ClassCount = Math.Min(network.OutputSize, CsvDataset.MaxClassCount),
        });
        (float[] features, int width, IReadOnlyList<string> names) = Columns(table, network, meta);
        meta?.Standardization?.Apply(features, dataPath, names);

        int classes = network.OutputSize;
        var probabilities = new float[classes];
        var text = new StringBuilder();
        text.Append("predicted");
        for (int k = 0; k < classes; k++)
        {
            text.Append(CultureInfo.InvariantCulture, $",p{k}");
        }

        text.AppendLine();
        int correct = 0;
        for (int r = 0; r < table.Count; r++)
        {
            network.Predict(features.AsSpan(r * width, width), probabilities);
            int predicted = TensorPrimitives.IndexOfMax(probabilities);
            if (table.HasLabels && table.Labels[r] == predicted)
            {
                correct++;
            }

            text.Append(predicted.ToString(CultureInfo.InvariantCulture));
            foreach (float p in probabilities)
            {
                text.Append(CultureInfo.InvariantCulture, $",{p:F6}");
            }

            text.AppendLine();
        }

        string summary = table.HasLabels
            ? string.Create(CultureInfo.InvariantCulture, $"accuracy {(double)correct / table.Count:F4} ({correct} of {table.Count} rows) on {dataPath}")
            : string.Create(CultureInfo.InvariantCulture, $"scored {table.Count} rows of {dataPath} (no '{meta?.LabelColumn ?? CsvDataset.DefaultLabelColumn}' column, so no accuracy)");
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

        if (meta is null)
        {
            error.WriteLine($"note: {metaPath} not found: the features were used as they are (no standardization) and their names were not checked.");
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// The feature columns the model reads, row by row: all of them, or, for a pruned model (train --prune) whose metadata
    /// names fewer features than the file has, those columns picked by name.
    /// </summary>
    private static (float[] Features, int Width, IReadOnlyList<string> Names) Columns(CsvTable table, INetwork network, ModelMetadata? meta)
    {
        if (meta is not null && table.FeatureCount > network.InputSize)
        {
            int[] picks = [.. meta.FeatureNames.Select(name => IndexOf(table.FeatureNames, name))];
            if (picks.All(i => i >= 0))
            {
                int width = picks.Length;
                var picked = new float[table.Count * width];
                ReadOnlySpan<float> all = table.Features;
                for (int r = 0; r < table.Count; r++)
                {
                    for (int c = 0; c < width; c++)
                    {
                        picked[(r * width) + c] = all[(r * table.FeatureCount) + picks[c]];
                    }
                }

                return (picked, width, meta.FeatureNames);
            }

            string missing = string.Join(", ", meta.FeatureNames.Where(name => IndexOf(table.FeatureNames, name) < 0));
            throw new CliException($"{table.SourceName} has no column named {missing}, which the model reads (it uses {network.InputSize} of the file's {table.FeatureCount} feature columns: {string.Join(", ", meta.FeatureNames)}).");
        }

        CheckColumns(table, network, meta);
        return (table.Features.ToArray(), table.FeatureCount, table.FeatureNames);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckColumns(CsvTable table, INetwork network, ModelMetadata? meta)
    {
        if (table.FeatureCount != network.InputSize)
        {
            throw new CliException($"{table.SourceName} has {table.FeatureCount} feature columns, but the model takes {network.InputSize} inputs{(meta is null ? string.Empty : $" ({string.Join(", ", meta.FeatureNames)})")}.");
        }

        if (meta is null)
        {
            return;
        }

        for (int c = 0; c < table.FeatureCount; c++)
        {
            if (!string.Equals(table.FeatureNames[c], meta.FeatureNames[c], StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"{table.SourceName}: column {c + 1} is '{table.FeatureNames[c]}', but the model was trained with '{meta.FeatureNames[c]}' there.");
            }
        }
    }
}
