using System.Globalization;
using System.Numerics.Tensors;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Onnx;
using L1Net.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

// Uses a model exported by L1Net.Onnx inside an ML.NET pipeline (ApplyOnnxModel, from Microsoft.ML.OnnxTransformer).
//   dotnet run --project samples/L1Net.Onnx.MLNetSample -c Release
// Trains a 4-8-3 network on iris with L1Net as a ClassificationModel (with a Standardizer), exports the model, loads the raw CSV into an IDataView,
// scores it through the ONNX transformer and checks the pipeline's probabilities and classes against L1Net's own
// predictions (exit code 1 on a mismatch).
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string csv = Path.Combine(AppContext.BaseDirectory, "data", "iris.csv");

// 1. Train with L1Net on rows standardized by a Standardizer fitted on them, make the model object of the trained
//    network (it holds a copy), its standardizer and names, and export the model; the ONNX graph standardizes raw rows.
CsvTable iris = CsvDataset.LoadTable(csv);
float[] raw = iris.Features.ToArray();
int f = iris.FeatureCount;
Dataset rawRows = Dataset.FromLabels(raw, f, iris.Labels.ToArray(), 3);
Standardizer standardizer = new Standardizer().Fit(rawRows);
DenseNetwork network = NetworkBuilder.Input(f).Dense(8, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(seed: 1));
new BackPropTrainer(new TrainerOptions { Epochs = 100, LearningRate = 0.05f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 0 })
    .Train(network, standardizer.Transform(rawRows));
var classifier = new ClassificationModel(network, iris.FeatureNames, ["setosa", "versicolor", "virginica"])
{
    Preprocessor = standardizer,
    LabelName = iris.LabelName,
};
string onnxPath = Path.Combine(AppContext.BaseDirectory, "iris.onnx");
OnnxExporter.ExportToFile(classifier, onnxPath);
Console.WriteLine($"exported {classifier} to {onnxPath}");

// 2. An ML.NET pipeline over the raw CSV: the four feature columns as one vector column named like the ONNX input.
var ml = new MLContext(seed: 0);
IDataView data = ml.Data.LoadFromTextFile<IrisRow>(csv, separatorChar: ',', hasHeader: true);
var pipeline = ml.Transforms.ApplyOnnxModel(
    outputColumnNames: ["probabilities", "class"],
    inputColumnNames: ["features"],
    modelFile: onnxPath);
ITransformer model = pipeline.Fit(data);
IDataView scored = model.Transform(data);
List<IrisPrediction> predictions = ml.Data.CreateEnumerable<IrisPrediction>(scored, reuseRowObject: false).ToList();

// 3. Compare with L1Net.
var expected = new float[iris.Count * 3];
classifier.PredictProbabilities(raw, expected);
float worst = 0f;
int mismatches = 0, correct = 0;
for (int r = 0; r < predictions.Count; r++)
{
    IrisPrediction p = predictions[r];
    for (int k = 0; k < 3; k++)
    {
        worst = MathF.Max(worst, MathF.Abs(p.Probabilities[k] - expected[(r * 3) + k]));
    }

    long predicted = p.Class[0];
    mismatches += predicted == TensorPrimitives.IndexOfMax(expected.AsSpan(r * 3, 3)) ? 0 : 1;
    correct += predicted == (long)p.Label ? 1 : 0;
}

Console.WriteLine($"ML.NET pipeline scored {predictions.Count} rows: accuracy {(double)correct / predictions.Count:F4}; row 0 class {predictions[0].Class[0]}, probabilities [{string.Join(", ", predictions[0].Probabilities.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))}]");
Console.WriteLine($"L1Net against ML.NET + ONNX Runtime: largest probability difference {worst:G3}, {mismatches} class mismatches in {predictions.Count} rows");
if (predictions.Count != iris.Count || worst > 1e-5f || mismatches != 0)
{
    Console.Error.WriteLine("error: the ML.NET pipeline disagrees with L1Net");
    return 1;
}

return 0;

/// <summary>One CSV row: the four features as the vector column <c>features</c> (the ONNX input), and the label.</summary>
internal sealed class IrisRow
{
    [LoadColumn(0, 3)]
    [VectorType(4)]
    [ColumnName("features")]
    public float[] Features { get; set; } = [];

    [LoadColumn(4)]
    public float Label { get; set; }
}

/// <summary>The ONNX outputs as ML.NET columns, with the label passed through.</summary>
internal sealed class IrisPrediction
{
    [ColumnName("probabilities")]
    public float[] Probabilities { get; set; } = [];

    [ColumnName("class")]
    public long[] Class { get; set; } = [];

    public float Label { get; set; }
}
