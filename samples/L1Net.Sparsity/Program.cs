using System.Globalization;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Diagnostics;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Sparsity;
using L1Net.Training;

// Usage: dotnet run --project samples/L1Net.Sparsity -c Release -- [OUTPUT_DIR [LAMBDA]]
//   The Wine data (13 features, 3 cultivars): a cross-validated L1 regularization path for a 13-8-3 network, a table of
//   lambda against CV accuracy and sparsity, and PNG plots (deterministic: the same build writes the same files).
// ... -- directions [THREADS]   the three path directions side by side on iris, wine and the synthetic 10-class set
// ... -- acceptance [THREADS [REPEATS [SETS]]]   the acceptance checks of choosing lambda by CV: nested CV on iris, wine and two synthetic
//          10-class sets (REPEATS: of the inner k-fold, default the library's 1; SETS: a comma list of iris,wine,synthetic,synthetic2,
//          default all); exit code 1 if one fails
// ... -- selection [SEEDS [THREADS [OUTPUT_DIR]]]   input-group lasso against proximal L1 on 8 relevant of 64 inputs, and Wine
// ... -- selection-adaptive [all|refit|wine|synthetic]   adaptive group lasso on Wine (nested CV) and the synthetic set; relaxed refit convergence
// ... -- selection-stability [all|wine|synthetic|posthoc|wine-posthoc|synthetic-posthoc|wine-confirm|wine-confirm-budget]   stability selection (complementary pairs) + unpenalized refit on Wine (nested CV) and the synthetic set
// ... -- selection-budget [THREADS [REPEATS [OUTER_SEED]]]   the Wine claim with CrossValidationOptions.MaxInputs = 6: nested CV, 5 outer folds x 5 (seeds 300-304)
// ... -- selection-budget-refined [THREADS [REPEATS [OUTER_SEED]]]   the same with CrossValidationOptions.BudgetRefinement = 6, outer seeds 400-404 (the fifth attempt)
// ... -- selection-diagnose    why plain CV keeps noise inputs: the group lasso at fixed lambdas, settled with full batches
// ... -- synthetic-csv PATH     writes the 1,800-row, 64-input, 10-class synthetic set (digits-shaped) as CSV
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

int Threads(int index) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : 1;
switch (args.FirstOrDefault())
{
    case "directions":
        Experiments.Directions([Problem.Iris(), Problem.Wine(), Problem.Synthetic()], Threads(1));
        return 0;
    case "acceptance":
        {
            var sets = new Dictionary<string, Func<Problem>>
            {
                ["iris"] = Problem.Iris,
                ["wine"] = Problem.Wine,
                ["synthetic"] = () => Problem.SyntheticPool(),
                ["synthetic2"] = () => Problem.SyntheticPool(SyntheticData.SecondSeed),
            };
            string[] chosen = args.Length > 3 ? args[3].Split(',') : [.. sets.Keys];
            if (chosen.FirstOrDefault(name => !sets.ContainsKey(name)) is string unknown)
            {
                Console.Error.WriteLine($"unknown data set '{unknown}'; known: {string.Join(", ", sets.Keys)}");
                return 2;
            }

            int repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : new CrossValidationOptions().Repeats;
            return Acceptance.Run(chosen.Select(name => sets[name]()), Threads(1), repeats) ? 0 : 1;
        }

    case "selection":
        return SelectionExperiment.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5, Threads(2), args.Length > 3 ? args[3] : "sparsity-output") ? 0 : 1;
    case "selection-adaptive":
        return AdaptiveExperiment.Run(args.Length > 1 ? args[1] : "all", Threads(2)) ? 0 : 1;
    case "selection-stability":
        return StabilityExperiment.Run(args.Length > 1 ? args[1] : "all", Threads(2)) ? 0 : 1;
    case "selection-budget":
        return BudgetExperiment.Run(Threads(1), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : BudgetExperiment.OuterRepeats,
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : BudgetExperiment.OuterSeed) ? 0 : 1;
    case "selection-budget-refined":
        return BudgetExperiment.Run(Threads(1), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : BudgetExperiment.OuterRepeats,
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : BudgetExperiment.RefinedOuterSeed, BudgetExperiment.Refinement) ? 0 : 1;
    case "selection-diagnose":
        SelectionExperiment.Diagnose();
        return 0;
    case "synthetic-csv":
        SyntheticData.WriteCsv(SyntheticData.DigitsShaped().Sample(1800, seed: 1), args[1]);
        Console.WriteLine($"wrote {args[1]}: 1800 rows, 64 inputs (32 informative, 32 noise), 10 classes");
        return 0;
}

string outputDir = args.Length > 0 ? args[0] : "sparsity-output";
Directory.CreateDirectory(outputDir);
CsvDataset wine = NestedWine.Csv;
Dataset data = wine.Dataset;
IReadOnlyList<string> featureNames = wine.FeatureNames;
Console.WriteLine($"Wine: {data.Count} rows, {data.FeatureCount} features, {data.ClassCount} classes; network 13-8(tanh)-3(softmax), cross-entropy");

DenseNetwork Initial() => NetworkBuilder.Input(data.FeatureCount).Dense(8, Activation.Tanh).Dense(data.ClassCount, Activation.Softmax)
    .Build(new GlorotUniformInitializer(seed: 1));

var trainer = new TrainerOptions { Epochs = 200, LearningRate = 0.1f, BatchSize = 8, Loss = LossFunction.CrossEntropy, Seed = 0 };
var pathOptions = new RegularizationPathOptions
{
    Trainer = trainer,
    CreateRegularizer = Regularizer.ProximalL1,
    LambdaCount = 16,
    LambdaMinRatio = 1e-3f,
};
var cvOptions = new CrossValidationOptions { Folds = 5, Stratified = true, Seed = 0, Preprocessing = new Standardizer() };

var cv = new CrossValidation(pathOptions, cvOptions);
CrossValidationResult result = cv.Run(Initial(), data, new Progress());
Console.WriteLine();

Console.WriteLine($"5-fold stratified CV, proximal L1, {trainer.Epochs} epochs per lambda (batch {trainer.BatchSize}, rate {trainer.LearningRate}), {pathOptions.Direction}");
Console.WriteLine($"{"lambda",10}  {"CV accuracy",-17}  {"CV loss",-17}  {"nonzero",8}  {"inputs",6}");
for (int k = 0; k < result.Scores.Count; k++)
{
    LambdaScore s = result.Scores[k];
    string mark = (k == result.IndexMin ? " <- lambda.min" : "") + (k == result.Index1Se ? " <- lambda.1se" : "");
    int inputs = UsedInputs(result.Path.Points[k]).Count;
    Console.WriteLine($"{s.Lambda,10:G4}  {s.MeanAccuracy,6:F3} +- {s.AccuracyStandardError,-6:F3}  {s.MeanLoss,6:F3} +- {s.LossStandardError,-6:F3}  {s.NonzeroWeights,4}/{s.WeightCount,-3}  {inputs,6}{mark}");
}

Console.WriteLine();
Console.WriteLine($"lambda.min = {result.LambdaMin:G4} ({result.Scores[result.IndexMin].NonzeroWeights} nonzero weights), lambda.1se = {result.Lambda1Se:G4} ({result.Scores[result.Index1Se].NonzeroWeights} nonzero weights); picked: lambda.1se, refitted on all rows: {result.Model.NonzeroWeights} nonzero weights");
Console.WriteLine($"inputs used at lambda.1se: {string.Join(", ", UsedInputs(result.Model).Select(i => featureNames[i]))}");

// Weights trained on all (standardized) data from the same initial network with no regularization, subgradient L1 and
// proximal L1 at one moderate lambda (given as the second argument; default 0.01).
Dataset all = new Standardizer().Fit(data).Transform(data);
float lambda = args.Length > 1 ? float.Parse(args[1], CultureInfo.InvariantCulture) : 0.01f;
var trained = new List<(string Name, float[] Weights)>();
foreach ((string name, IRegularizer regularizer) in new[] { ("None", Regularizer.None), ("L1 subgradient", Regularizer.L1(lambda)), ("proximal L1", Regularizer.ProximalL1(lambda)) })
{
    DenseNetwork net = Initial();
    new BackPropTrainer(trainer, regularizer).Train(net, all);
    float[] weights = Enumerable.Range(0, net.Layers.Count).SelectMany(l => net.GetWeights(l).ToArray()).ToArray();
    WeightStatistics stats = WeightStatistics.Compute(net);
    Console.WriteLine($"{name,-15} (lambda {lambda:G4}): train accuracy {Metrics.Accuracy(net, all):F3}, exact zeros {stats.ExactZeros}/{stats.Count}, |w| < 1e-3 {stats.BelowThreshold}, sum |w| {stats.L1Norm:F2}");
    trained.Add((name, weights));
}

// The histogram's bars as text, so the figure can be checked against this output.
foreach ((string name, float[] weights) in trained)
{
    Console.WriteLine($"histogram {name,-15}: {string.Join(" ", Plots.Bins(weights).Select(b => b.ToString(CultureInfo.InvariantCulture)))}");
}

Plots.AccuracyAndSparsity(result, Path.Combine(outputDir, "wine-cv-path.png"));
Plots.WeightHistogram(trained, lambda, Path.Combine(outputDir, "wine-weight-histogram.png"));
Console.WriteLine($"plots: {Path.Combine(outputDir, "wine-cv-path.png")}, {Path.Combine(outputDir, "wine-weight-histogram.png")}");
return 0;

static List<int> UsedInputs(PathPoint point)
{
    // First-layer weights W[o, i] are the first 13 * 8 parameters.
    var used = new List<int>();
    for (int i = 0; i < 13; i++)
    {
        bool any = false;
        for (int o = 0; o < 8; o++)
        {
            any |= point.Parameters[(o * 13) + i] != 0f;
        }

        if (any)
        {
            used.Add(i);
        }
    }

    return used;
}

internal sealed class Progress : IProgress<PathProgress>
{
    public void Report(PathProgress value)
    {
        string where = value.Stage == PathStage.LambdaMaxSearch ? "lambda_max search" : value.Fold == 0 ? "all data" : $"fold {value.Fold}/{value.Folds}";
        Console.Write($"\r{where,-18} lambda {value.Lambda,-12:G4} nonzero {value.NonzeroWeights,4}/{value.WeightCount}   ");
    }
}
