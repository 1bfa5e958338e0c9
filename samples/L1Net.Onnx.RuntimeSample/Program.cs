using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Onnx;
using L1Net.Regularization;
using L1Net.Training;
using Microsoft.ML.OnnxRuntime;

// Scores an ONNX model exported by L1Net.Onnx with ONNX Runtime, from a plain console app.
//   dotnet run --project samples/L1Net.Onnx.RuntimeSample -c Release
//       trains a 4-8-3 network on iris as a ClassificationModel (with a Standardizer), exports the model to iris.onnx (next
//       to the program), scores the raw CSV rows with ONNX Runtime and checks them against L1Net's own predictions (exit code 1
//       on a mismatch).
//   dotnet run --project samples/L1Net.Onnx.RuntimeSample -c Release -- MODEL.onnx DATA.csv
//       scores DATA.csv (feature columns as in training; a 'label' column is optional) with a model from `l1net export`.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length == 2)
{
    CsvTable table = CsvDataset.LoadTable(args[1]);
    using var session = new InferenceSession(args[0]);
    (float[] p, long[] c) = Score(session, table.Features.ToArray(), table.Count, table.FeatureCount);
    Report(session, table, p, c);
    return 0;
}

if (args.Length != 0)
{
    Console.Error.WriteLine("usage: L1Net.Onnx.RuntimeSample [MODEL.onnx DATA.csv]");
    return 2;
}

// 1. Train with L1Net on standardized features (a Standardizer fitted on the training rows), then make the model object
//    of the trained network (it holds a copy), its standardizer and its names.
CsvTable iris = CsvDataset.LoadTable(Path.Combine(AppContext.BaseDirectory, "data", "iris.csv"));
float[] raw = iris.Features.ToArray();
Dataset rawRows = Dataset.FromLabels(raw, iris.FeatureCount, iris.Labels.ToArray(), 3);
Standardizer standardizer = new Standardizer().Fit(rawRows);
DenseNetwork network = NetworkBuilder.Input(iris.FeatureCount).Dense(8, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(seed: 1));
new BackPropTrainer(new TrainerOptions { Epochs = 100, LearningRate = 0.05f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 0 }, Regularizer.ProximalL1(0.001f))
    .Train(network, standardizer.Transform(rawRows));
var model = new ClassificationModel(network, iris.FeatureNames, ["setosa", "versicolor", "virginica"])
{
    Preprocessor = standardizer,
    LabelName = iris.LabelName,
};

// 2. Export the model: the graph takes raw rows and standardizes them itself; feature and class names go with it.
string onnxPath = Path.Combine(AppContext.BaseDirectory, "iris.onnx");
OnnxExporter.ExportToFile(model, onnxPath);
Console.WriteLine($"exported {model} to {onnxPath} ({new FileInfo(onnxPath).Length} bytes, opset {OnnxExporter.OpsetVersion})");

// 3. Score the raw rows with ONNX Runtime.
using (var session = new InferenceSession(onnxPath, new SessionOptions { IntraOpNumThreads = 1 }))
{
    (float[] probabilities, long[] classes) = Score(session, raw, iris.Count, iris.FeatureCount);
    Report(session, iris, probabilities, classes);

    // 4. The same raw rows through the L1Net model: ONNX Runtime must agree.
    var expected = new float[iris.Count * 3];
    model.PredictProbabilities(raw, expected);
    float worst = 0f;
    int classMismatches = 0;
    for (int r = 0; r < iris.Count; r++)
    {
        for (int k = 0; k < 3; k++)
        {
            worst = MathF.Max(worst, MathF.Abs(expected[(r * 3) + k] - probabilities[(r * 3) + k]));
        }

        classMismatches += TensorPrimitives.IndexOfMax(expected.AsSpan(r * 3, 3)) == classes[r] ? 0 : 1;
    }

    Console.WriteLine($"L1Net against ONNX Runtime: largest probability difference {worst:G3}, {classMismatches} class mismatches in {iris.Count} rows");
    if (worst > 1e-5f || classMismatches != 0)
    {
        Console.Error.WriteLine("error: ONNX Runtime disagrees with L1Net");
        return 1;
    }
}

return 0;

// Runs the model on n rows with one pre-bound input OrtValue over the caller's array (no copy).
static (float[] Probabilities, long[] Classes) Score(InferenceSession session, float[] rows, int n, int features)
{
    using OrtValue input = OrtValue.CreateTensorValueFromMemory(rows, [n, features]);
    using var run = new RunOptions();
    using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(run, [session.InputNames[0]], [input], session.OutputNames);
    return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<long>().ToArray());
}

static void Report(InferenceSession session, CsvTable table, float[] probabilities, long[] classes)
{
    Dictionary<string, string> meta = session.ModelMetadata.CustomMetadataMap;
    string[]? names = meta.TryGetValue("l1net.class_names", out string? json) ? JsonSerializer.Deserialize<string[]>(json) : null;
    int k = probabilities.Length / table.Count;
    Console.WriteLine($"model: {meta["l1net.network"]}, L1Net {meta["l1net.version"]}, standardized: {meta["l1net.standardized"]}; input '{session.InputNames[0]}', outputs {string.Join(", ", session.OutputNames.Select(o => $"'{o}'"))}");
    Console.WriteLine("first rows (class, probabilities):");
    for (int r = 0; r < Math.Min(5, table.Count); r++)
    {
        string name = names is null ? classes[r].ToString(CultureInfo.InvariantCulture) : names[classes[r]];
        Console.WriteLine($"  row {r}: {name,-10} [{string.Join(", ", probabilities.Skip(r * k).Take(k).Select(p => p.ToString("F4", CultureInfo.InvariantCulture)))}]");
    }

    if (table.HasLabels)
    {
        int correct = Enumerable.Range(0, table.Count).Count(r => classes[r] == table.Labels[r]);
        Console.WriteLine($"ONNX Runtime accuracy on {Path.GetFileName(table.SourceName)}: {(double)correct / table.Count:F4} ({correct} of {table.Count})");
    }
}
