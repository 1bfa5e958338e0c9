// The getting-started walkthrough (docs/getting-started.md shows this file; a test keeps the two identical and runs it).
using System.Globalization;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Serialization;
using L1Net.Training;
using Microsoft.Extensions.Logging;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// 1. Load a CSV: a header row, then one row per flower; the class label is the column "species" (setosa, versicolor,
//    virginica), every other column is a feature. Numbers are read the same way on every machine ('.' decimal point).
string csvPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "iris.csv");
CsvDataset iris = CsvDataset.Load(csvPath, new CsvDatasetOptions { LabelColumn = "species" });
Console.WriteLine($"{iris.Dataset.Count} rows; features {string.Join(", ", iris.FeatureNames)}; classes {string.Join(", ", iris.ClassNames)}");

// 2. Split: hold out 20 % of each class for testing (stratified, so every class is in both parts; the file is sorted by class).
(Dataset train, Dataset test) = DataSplit.TrainValidation(iris.Dataset, validationFraction: 0.2, seed: 1);

// 3. Standardize: means and scales fitted on the training rows only (so the test rows stay unseen).
Standardizer scaler = new Standardizer().Fit(train);
Dataset scaledTrain = scaler.Transform(train);

// 4. A network (4 inputs -> 8 tanh -> 3 softmax) and a trainer with L1 regularization; options are validated here.
DenseNetwork network = NetworkBuilder.Input(iris.FeatureNames.Count)
    .Dense(8, Activation.Tanh)
    .Dense(iris.ClassNames.Count, Activation.Softmax)
    .Build(new GlorotUniformInitializer(seed: 42));
using ILoggerFactory loggerFactory = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => o.SingleLine = true));
var trainer = new BackPropTrainer(
    new TrainerOptions { Epochs = 100, LearningRate = 0.05f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 7, ReportInterval = 50 },
    Regularizer.L1(0.001f),
    loggerFactory.CreateLogger("L1Net"));
TrainingResult result = trainer.Train(network, scaledTrain);
Console.WriteLine($"{result.StopReason} after {result.EpochsCompleted} epochs, training loss {result.Final.Loss:F4}");

// 5. The model: the network with its standardization, names and provenance. It predicts from raw feature values.
var model = new ClassificationModel(network, iris.FeatureNames, iris.ClassNames)
{
    Preprocessor = scaler,
    LabelName = iris.LabelName,
    Provenance = ModelProvenance.From(trainer, train.Count, lambda: 0.001f),
};

// 6. Evaluate on the held-out rows (raw: the model standardizes them itself), and look at what L1 did to the weights.
WeightStatistics weights = WeightStatistics.Compute(model.Network, threshold: 1e-3f);
Console.WriteLine($"test accuracy {Metrics.Accuracy(model, test):F4} on {test.Count} rows; sum |w| {weights.L1Norm:F3}, |w| < 1e-3: {weights.BelowThreshold} of {weights.Count}");

// 7. Save one file (network, standardization, names, provenance; written atomically) and load it back.
string path = Path.Combine(Path.GetTempPath(), "iris-model.json");
ModelSerializer.SaveToFile(model, path);
ClassificationModel loaded = ModelSerializer.LoadFromFile(path);

// 8. Predict the class name of a new flower from its raw measurements, with the probabilities.
float[] flower = [6.1f, 2.8f, 4.7f, 1.2f];
Span<float> probabilities = stackalloc float[loaded.ClassCount];
int k = loaded.PredictClass(flower, probabilities);
Console.WriteLine($"{string.Join(", ", flower)} -> {loaded.ClassNames[k]} (p = {probabilities[k]:F3}); trained by L1Net {loaded.Provenance!.LibraryVersion} on {loaded.Provenance.TrainingRows} rows");
