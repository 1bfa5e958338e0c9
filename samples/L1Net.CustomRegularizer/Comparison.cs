using System.Globalization;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Networks;
using L1Net.Optimization;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Training;

namespace L1Net.CustomRegularizer;

/// <summary>
/// Trains the same network on the Wine data with each of the guide's regularizers (and two built-ins for reference) and
/// prints a comparison: accuracy, sum |w|, zero weights and the final penalty. Every number is written with the invariant
/// culture, so the report reads the same on every machine.
/// </summary>
public static class Comparison
{
    /// <summary>Epochs of every run.</summary>
    public const int Epochs = 60;

    /// <summary>One training run and what it ended with.</summary>
    /// <param name="Regularizer">The regularizer's name.</param>
    /// <param name="Optimizer">The optimizer, shortly.</param>
    /// <param name="TrainAccuracy">Accuracy on the training rows.</param>
    /// <param name="TestAccuracy">Accuracy on the held-out rows.</param>
    /// <param name="Weights">Statistics of the trained weights (biases excluded).</param>
    /// <param name="Penalty">The regularizer's penalty of the trained network.</param>
    /// <param name="Parameters">The trained parameters.</param>
    public sealed record Run(string Regularizer, string Optimizer, double TrainAccuracy, double TestAccuracy, WeightStatistics Weights, double Penalty, IReadOnlyList<float> Parameters);

    /// <summary>Trains one network per regularizer on the data set at <paramref name="csvPath"/>.</summary>
    /// <param name="csvPath">The Wine CSV (label column <c>label</c>).</param>
    /// <returns>The runs, in the order of the report.</returns>
    public static IReadOnlyList<Run> RunAll(string csvPath)
    {
        CsvDataset wine = CsvDataset.Load(csvPath);
        (Dataset train, Dataset test) = DataSplit.TrainValidation(wine.Dataset, validationFraction: 0.25, seed: 1);
        Standardizer scaler = new Standardizer().Fit(train);
        Dataset scaledTrain = scaler.Transform(train);
        Dataset scaledTest = scaler.Transform(test);

        Run Train(IRegularizer regularizer, string optimizerName, IOptimizer optimizer)
        {
            DenseNetwork network = NetworkBuilder.Input(scaledTrain.FeatureCount)
                .Dense(16, Activation.Tanh)
                .Dense(wine.ClassNames.Count, Activation.Softmax)
                .Build(new GlorotUniformInitializer(seed: 42));
            var options = new TrainerOptions { Epochs = Epochs, Optimizer = optimizer, BatchSize = 1, Seed = 7 };
            TrainingResult result = new BackPropTrainer(options, regularizer).Train(network, scaledTrain);
            return new Run(
                regularizer.Name,
                optimizerName,
                result.Final.Accuracy,
                Metrics.Accuracy(network, scaledTest),
                WeightStatistics.Compute(network, threshold: 1e-3f),
                result.Final.Penalty,
                network.Parameters.ToArray());
        }

        const string sgd = "SGD 0.02";
        const string adam = "Adam 0.005";
        return
        [
            Train(Regularizer.None, sgd, Optimizer.Sgd(0.02f)),
            Train(Regularizer.L1(0.002f), sgd, Optimizer.Sgd(0.02f)),
            Train(new DeclaredL1(0.002f), sgd, Optimizer.Sgd(0.02f)),
            Train(new SmoothL1(0.002f, epsilon: 0.01f), sgd, Optimizer.Sgd(0.02f)),
            Train(new SmoothL1Vectorized(0.002f, epsilon: 0.01f), sgd, Optimizer.Sgd(0.02f)),
            Train(new LayerwiseProximalL1([0.01f, 0.002f]), sgd, Optimizer.Sgd(0.02f)),
            Train(new LayerwiseProximalL1([0.01f, 0.002f]), adam, Optimizer.Adam(0.005f)),
            Train(new FanInGroupPenalty(0.01f, epsilon: 0.01f), sgd, Optimizer.Sgd(0.02f)),
        ];
    }

    /// <summary>Runs <see cref="RunAll"/> and the checks of <see cref="RegularizerChecks"/>, and writes the report.</summary>
    /// <param name="writer">Receives the report.</param>
    /// <param name="csvPath">The Wine CSV.</param>
    public static void Write(TextWriter writer, string csvPath)
    {
        ArgumentNullException.ThrowIfNull(writer);
        IReadOnlyList<Run> runs = RunAll(csvPath);
        CultureInfo invariant = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(invariant, $"Wine, 13-16(tanh)-3(softmax), {runs[0].Weights.Count} weights, {Epochs} epochs, batch size 1"));
        writer.WriteLine(string.Create(invariant, $"{"regularizer",-40} {"optimizer",-10} {"train",6} {"test",6} {"sum |w|",8} {"exact 0",7} {"|w|<1e-3",8} {"penalty",8}"));
        foreach (Run run in runs)
        {
            writer.WriteLine(string.Create(invariant, $"{run.Regularizer,-40} {run.Optimizer,-10} {run.TrainAccuracy,6:F4} {run.TestAccuracy,6:F4} {run.Weights.L1Norm,8:F3} {run.Weights.ExactZeros,7} {run.Weights.BelowThreshold,8} {run.Penalty,8:F5}"));
        }

        writer.WriteLine();
        writer.WriteLine($"DeclaredL1 trains to the built-in L1's exact weights: {Answer(runs[1].Parameters.SequenceEqual(runs[2].Parameters))}");
        writer.WriteLine($"SmoothL1 and SmoothL1Vectorized train to the same weights: {Answer(runs[3].Parameters.SequenceEqual(runs[4].Parameters))}");

        var random = new Random(5);
        float[] values = [.. Enumerable.Range(0, 8 * 13).Select(_ => (float)(random.NextDouble() - 0.5))];
        float[] perValue = [.. values.Select(_ => (float)(0.001 + (0.05 * random.NextDouble())))];
        ParameterShape shape = ParameterShape.ForWeights(layer: 0, inputs: 13, outputs: 8);
        IRegularizer[] smooth = [new SmoothL1(0.002f, 0.01f), new SmoothL1Vectorized(0.002f, 0.01f), new FanInGroupPenalty(0.01f, 0.01f)];
        foreach (IRegularizer regularizer in smooth)
        {
            double error = RegularizerChecks.GradientError(regularizer, values, shape, step: 1e-4f);
            writer.WriteLine($"{regularizer.Name}: gradient matches finite differences of Penalty (relative error < 1e-3): {Answer(error < 1e-3)}");
        }

        // L1 is linear between its kinks: checked with values at least 0.05 from 0 and a step of 0.01, which is exact there
        // and large against the float rounding of its float-summed penalty (TensorPrimitives.SumOfMagnitudes).
        float[] awayFromZero = [.. values.Select(v => v + MathF.CopySign(0.05f, v))];
        double l1Error = RegularizerChecks.GradientError(new DeclaredL1(0.002f), awayFromZero, shape, step: 0.01f);
        writer.WriteLine($"DeclaredL1(0.002): declared subgradient matches finite differences of Penalty: {Answer(l1Error < 1e-3)}");

        DenseNetwork small = NetworkBuilder.Input(13).Dense(4, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(seed: 3));
        var trainer = new BackPropTrainer(new TrainerOptions { RegularizeBiases = true }, new FanInGroupPenalty(0.05f, 0.01f));
        double networkError = RegularizerChecks.TrainerGradientError(trainer, small, FirstRows(csvPath, 20), step: 1e-3f);
        writer.WriteLine($"FanInGroupPenalty in a network: ComputeGradient matches finite differences of its objective (relative error < 1e-3): {Answer(networkError < 1e-3)}");

        var proximal = new LayerwiseProximalL1([0.01f, 0.002f]);
        double sgdError = RegularizerChecks.ProximalError(proximal, values, [0.02f], shape, move: 1e-3f);
        double adamError = RegularizerChecks.ProximalError(proximal, values, perValue, shape, move: 1e-3f);
        writer.WriteLine($"{proximal.Name}: ApplyProximal minimises R(u) + sum (u - w)^2 / (2 eta), one step size and one per value: {Answer(sgdError <= 1e-12 && adamError <= 1e-12)}");
    }

    private static Dataset FirstRows(string csvPath, int count)
    {
        Dataset data = CsvDataset.Load(csvPath).Dataset;
        Dataset scaled = new Standardizer().Fit(data).Transform(data);
        return scaled.Subset([.. Enumerable.Range(0, count).Select(i => i * scaled.Count / count)]);
    }

    private static string Answer(bool yes) => yes ? "yes" : "NO";
}
