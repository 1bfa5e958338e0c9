using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// Does the path direction change what cross-validation costs? One 3-fold CV of the Wine data (13-8-3 network, proximal L1,
/// 8 lambdas from a fixed lambda_max, 100 epochs per lambda, batch 8, folds one after the other) per operation; cold starts
/// as the baseline. Every direction trains the same number of networks for the same number of epochs.
/// </summary>
[MedianColumn]
public class PathDirectionBenchmarks
{
    private Dataset _data = null!;
    private CrossValidation _cv = null!;
    private DenseNetwork _network = null!;

    /// <summary>Where each lambda starts.</summary>
    [Params(PathDirection.ColdStarts, PathDirection.WarmUpward, PathDirection.WarmDownward)]
    public PathDirection Direction { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Dataset raw = CsvDataset.Load(Path.Combine(AppContext.BaseDirectory, "data", "wine.csv")).Dataset;
        _data = Standardize(raw);
        _network = NetworkBuilder.Input(13).Dense(8, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(seed: 1));
        _cv = new CrossValidation(
            new RegularizationPathOptions
            {
                Trainer = new TrainerOptions { Epochs = 100, LearningRate = 0.1f, BatchSize = 8, Seed = 0, MaxDegreeOfParallelism = 1 },
                CreateRegularizer = Regularizer.ProximalL1,
                LambdaMax = 0.15f,
                LambdaCount = 8,
                LambdaMinRatio = 1e-3f,
                Direction = Direction,
            },
            new CrossValidationOptions { Folds = 3, MaxDegreeOfParallelism = 1 });
    }

    [Benchmark]
    public CrossValidationResult CrossValidate() => _cv.Run(_network, _data);

    private static Dataset Standardize(Dataset data)
    {
        int p = data.FeatureCount;
        var features = new float[data.Count, p];
        for (int j = 0; j < p; j++)
        {
            double mean = 0, squares = 0;
            for (int r = 0; r < data.Count; r++)
            {
                mean += data.GetFeatures(r)[j];
            }

            mean /= data.Count;
            for (int r = 0; r < data.Count; r++)
            {
                double d = data.GetFeatures(r)[j] - mean;
                squares += d * d;
            }

            double sd = Math.Sqrt(squares / data.Count);
            for (int r = 0; r < data.Count; r++)
            {
                features[r, j] = (float)((data.GetFeatures(r)[j] - mean) / sd);
            }
        }

        return Dataset.FromLabels(features, data.Labels.ToArray(), data.ClassCount);
    }
}
