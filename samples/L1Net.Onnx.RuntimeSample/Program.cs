using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using L1Net;
using L1Net.Onnx;
using Microsoft.ML.OnnxRuntime;

// Scores an ONNX model exported by L1Net.Onnx with ONNX Runtime, from a plain console app.
//   dotnet run --project samples/L1Net.Onnx.RuntimeSample -c Release
//       trains a 4-8-3 network on iris (standardized), exports it with its standardization to iris.onnx (next to the
//       program), scores the raw CSV rows with ONNX Runtime and checks them against L1Net's own predictions (exit code 1
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

// 1. Train with L1Net on standardized features (mean and scale fitted on the training rows).
CsvTable iris = CsvDataset.LoadTable(Path.Combine(AppContext.BaseDirectory, "data", "iris.csv"));
float[] raw = iris.Features.ToArray();
(float[] means, float[] scales) = FitStandardization(raw, iris.FeatureCount);
float[] standardized = Standardize(raw, means, scales);
Dataset train = Dataset.FromLabels(standardized, iris.FeatureCount, iris.Labels.ToArray(), 3);
DenseNetwork network = NetworkBuilder.Input(iris.FeatureCount).Dense(8, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(seed: 1));
new BackPropTrainer(new TrainerOptions { Epochs = 100, LearningRate = 0.05f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 0 }, Regularizer.ProximalL1(0.001f))
    .Train(network, train);

// 2. Export: the graph takes raw rows and standardizes them itself.
string onnxPath = Path.Combine(AppContext.BaseDirectory, "iris.onnx");
OnnxExporter.ExportToFile(network, onnxPath, new OnnxExportOptions
{
    Means = means,
    Scales = scales,
    FeatureNames = iris.FeatureNames,
    ClassNames = ["setosa", "versicolor", "virginica"],
});
Console.WriteLine($"exported {network} to {onnxPath} ({new FileInfo(onnxPath).Length} bytes, opset {OnnxExporter.OpsetVersion})");

// 3. Score the raw rows with ONNX Runtime.
using (var session = new InferenceSession(onnxPath, new SessionOptions { IntraOpNumThreads = 1 }))
{
    (float[] probabilities, long[] classes) = Score(session, raw, iris.Count, iris.FeatureCount);
    Report(session, iris, probabilities, classes);

    // 4. The same rows through L1Net: ONNX Runtime must agree.
    var expected = new float[iris.Count * 3];
    network.PredictBatch(standardized, expected);
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

static (float[] Means, float[] Scales) FitStandardization(float[] rows, int features)
{
    int n = rows.Length / features;
    var means = new float[features];
    var scales = new float[features];
    for (int c = 0; c < features; c++)
    {
        double sum = 0, squares = 0;
        for (int r = 0; r < n; r++)
        {
            sum += rows[(r * features) + c];
        }

        double mean = sum / n;
        for (int r = 0; r < n; r++)
        {
            double d = rows[(r * features) + c] - mean;
            squares += d * d;
        }

        means[c] = (float)mean;
        double sd = Math.Sqrt(squares / n);
        scales[c] = sd > 0 ? (float)sd : 1f;
    }

    return (means, scales);
}

static float[] Standardize(float[] rows, float[] means, float[] scales)
{
    var result = new float[rows.Length];
    for (int i = 0; i < rows.Length; i++)
    {
        int c = i % means.Length;
        result[i] = (rows[i] - means[c]) / scales[c];
    }

    return result;
}
