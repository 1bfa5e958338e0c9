using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using L1Net.Serialization;

namespace L1Net.Cli.Tests;

/// <summary><c>train --lambda cv</c>: the cross-validation table, the pick, the saved model, and the wiring to the library.</summary>
public sealed partial class LambdaSelectionTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private sealed record CvRow(string LambdaText, double Loss, double LossSe, double Accuracy, double AccuracySe, int Nonzero, int Weights, string Pick);

    private static List<CvRow> CvRows(string output) =>
        [.. CvRowPattern().Matches(output).Select(m => new CvRow(
            m.Groups[1].Value,
            double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[6].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[7].Value, CultureInfo.InvariantCulture),
            m.Groups[8].Value.Trim()))];

    [GeneratedRegex(@"[│|]\s*([0-9.E+-]+)\s*[│|]\s*([0-9.]+)\s*[│|]\s*([0-9.]+)\s*[│|]\s*([0-9.]+)\s*[│|]\s*([0-9.]+)\s*[│|]\s*(\d+)/(\d+)\s*[│|]([^│|\n]*)[│|]")]
    private static partial Regex CvRowPattern();

    [GeneratedRegex(@"chosen   lambda (\S+) by the (\w+) rule")]
    private static partial Regex ChosenLine();

    [Fact]
    public void Cv_prints_one_row_per_lambda_and_saves_the_model_refitted_at_lambda_1se()
    {
        string model = _cli.PathOf("cv.json");
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "proximal-l1", "--lambda", "cv", "--folds", "3", "--epochs", "20", "--model", model);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(string.Empty, r.Error);
        Assert.Contains("cv       3-fold stratified cross-validation on the 120 training rows, proximal-l1, 20 lambdas from ", r.Output, StringComparison.Ordinal);
        Assert.Contains("standardization refitted on each fold's training rows", r.Output, StringComparison.Ordinal);

        List<CvRow> rows = CvRows(r.Output);
        Assert.Equal(20, rows.Count);
        double[] lambdas = [.. rows.Select(row => double.Parse(row.LambdaText, CultureInfo.InvariantCulture))];
        Assert.True(lambdas.Zip(lambdas.Skip(1)).All(p => p.First > p.Second), "lambdas must be listed largest first");
        Assert.Equal(0, rows[0].Nonzero);
        Assert.All(rows, row => Assert.Equal(4 * 16 + 16 * 3, row.Weights));
        Assert.All(rows, row => Assert.InRange(row.Accuracy, 0, 1));

        // Exactly one row is chosen; by default it is lambda.1se, at least as large as lambda.min and within one SE of it.
        CvRow chosen = Assert.Single(rows, row => row.Pick.Contains("<- chosen", StringComparison.Ordinal));
        Assert.Contains("1se", chosen.Pick, StringComparison.Ordinal);
        int chosenIndex = rows.IndexOf(chosen);
        int minIndex = rows.FindIndex(row => row.Pick.Contains("min", StringComparison.Ordinal));
        Assert.InRange(chosenIndex, 0, minIndex);
        CvRow best = rows[minIndex];
        Assert.Equal(rows.Min(row => row.Loss), best.Loss);
        Assert.True(chosen.Loss <= best.Loss + best.LossSe + 1e-4, $"1se row loss {chosen.Loss} is not within {best.Loss} + {best.LossSe}");

        Match line = ChosenLine().Match(r.Output);
        Assert.True(line.Success, r.Output);
        Assert.Equal(chosen.LambdaText, line.Groups[1].Value);
        Assert.Equal("1se", line.Groups[2].Value);

        // The saved network is the refit at that lambda (with cold starts, the path's model on all training rows): its exact
        // zeros are the ones the table counted.
        DenseNetwork network = ModelSerializer.LoadFromFile(model).Network;
        int nonzero = Enumerable.Range(0, network.Layers.Count).Sum(l => network.GetWeights(l).ToArray().Count(w => w != 0f));
        Assert.Equal(chosen.Nonzero, nonzero);
        Assert.Matches(@"[│|] all\s*[│|]\s*112\s*[│|]\s*[0-9.]+\s*[│|]\s*\d+\s*[│|]\s*" + (112 - chosen.Nonzero) + @"\s*[│|]", r.Output);
        Match name = Regex.Match(r.Output, @"cross-entropy, ProximalL1\(([^)]+)\)");
        Assert.True(name.Success, r.Output);
        Assert.Equal(chosen.LambdaText, float.Parse(name.Groups[1].Value, CultureInfo.InvariantCulture).ToString("G3", CultureInfo.InvariantCulture));

        Assert.Contains("(lambda by 3-fold CV (1se, loss))", ModelSerializer.LoadFromFile(model).Provenance!.Notes, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"cv/test  CV accuracy ([0-9.]+) ± ([0-9.]+) \((\d+)-fold, training rows\)  \|  test accuracy ([0-9.]+) \((\d+) held-out rows\)  \|  test - CV ([+-]?[0-9.]+)")]
    private static partial Regex CvAgainstTestLine();

    [Fact]
    public void Cv_prints_the_cv_estimate_at_the_chosen_lambda_beside_the_test_accuracy_of_the_refitted_model()
    {
        string model = _cli.PathOf("cvtest.json");
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "proximal-l1", "--lambda", "cv", "--cv-lambdas", "0.03,0.01,0.003,0.001", "--folds", "4", "--seed", "3", "--epochs", "15", "--model", model);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("the model is refitted at it on all 120 training rows from the initial network", r.Output, StringComparison.Ordinal);
        Assert.Contains("training done by the cross-validation's refit", r.Output, StringComparison.Ordinal);

        Match line = CvAgainstTestLine().Match(r.Output);
        Assert.True(line.Success, r.Output);
        CvRow chosen = Assert.Single(CvRows(r.Output), row => row.Pick.Contains("<- chosen", StringComparison.Ordinal));
        Assert.Equal(chosen.Accuracy.ToString("F4", CultureInfo.InvariantCulture), line.Groups[1].Value);
        Assert.Equal(chosen.AccuracySe.ToString("F4", CultureInfo.InvariantCulture), line.Groups[2].Value);
        Assert.Equal("4", line.Groups[3].Value);
        Assert.Equal("30", line.Groups[5].Value);

        // The test accuracy is the saved model's on the 30 held-out rows, the same figure as the accuracy table's test row.
        Assert.Matches(@"[│|] test\s*[│|]\s*30\s*[│|]\s*" + Regex.Escape(line.Groups[4].Value) + @"\s*[│|]", r.Output);
        double difference = double.Parse(line.Groups[4].Value, CultureInfo.InvariantCulture) - double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(difference, double.Parse(line.Groups[6].Value, CultureInfo.InvariantCulture), 3);

        // The refit is exactly a training at the chosen lambda from the initial network on the (standardized) training rows.
        Dataset all = CsvDataset.Load(CliRunner.Iris).Dataset;
        Dataset train = DataSplit.Stratified(all, 0.2, 3).Train;
        Dataset scaled = new Standardizer().Fit(train).Transform(train);
        DenseNetwork expected = TrainCommand.Build(new TrainSettings { Data = "iris.csv", Seed = 3 }, train.FeatureCount, train.ClassCount);
        float lambda = float.Parse(ChosenLine().Match(r.Output).Groups[1].Value, CultureInfo.InvariantCulture);
        new BackPropTrainer(new TrainerOptions { Epochs = 15, LearningRate = 0.05f, BatchSize = 16, Loss = LossFunction.CrossEntropy, Seed = 3 }, Regularizer.ProximalL1(lambda)).Train(expected, scaled);
        Assert.Equal(expected.Parameters.ToArray(), ModelSerializer.LoadFromFile(model).Network.Parameters.ToArray());
    }

    [Fact]
    public void Cv_repeats_score_over_every_fold_of_every_repeat()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "proximal-l1", "--lambda", "cv", "--cv-lambdas", "0.01,0.001", "--folds", "3", "--cv-repeats", "2", "--epochs", "5", "--model", _cli.PathOf("m.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("cv       2 x 3-fold stratified cross-validation on the 120 training rows", r.Output, StringComparison.Ordinal);
        Assert.Contains("mean over 6 folds", r.Output, StringComparison.Ordinal);
        Assert.Matches(@"cv/test  CV accuracy [0-9.]+ ± [0-9.]+ \(2 x 3-fold, training rows\)  \|  test accuracy", r.Output);
    }

    [Fact]
    public void Cv_without_test_rows_says_so_beside_the_cv_estimate()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "proximal-l1", "--lambda", "cv", "--cv-lambdas", "0.01,0.001", "--folds", "3", "--epochs", "5", "--test-split", "0", "--model", _cli.PathOf("m.json"));
        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"cv/test  CV accuracy [0-9.]+ ± [0-9.]+ \(3-fold, training rows\)  \|  no test rows \(--test-split 0\)", r.Output);
    }

    [Fact]
    public void Cv_rule_min_chooses_the_row_with_the_best_mean()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "cumulative-l1", "--lambda", "cv", "--cv-rule", "min", "--cv-measure", "accuracy", "--folds", "3", "--epochs", "20", "--model", _cli.PathOf("m.json"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("picked by accuracy", r.Output, StringComparison.Ordinal);
        List<CvRow> rows = CvRows(r.Output);
        CvRow chosen = Assert.Single(rows, row => row.Pick.Contains("<- chosen", StringComparison.Ordinal));
        Assert.StartsWith("min", chosen.Pick, StringComparison.Ordinal);

        // lambda.min is the first (largest-lambda) row with the best accuracy.
        double bestAccuracy = rows.Max(row => row.Accuracy);
        Assert.Equal(rows.FindIndex(row => row.Accuracy == bestAccuracy), rows.IndexOf(chosen));
        Assert.Contains($"by the min rule on the CV accuracy", r.Output, StringComparison.Ordinal);
        Assert.Contains("CumulativeL1(", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Cv_with_l2_uses_the_given_grid_largest_first()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "l2", "--lambda", "cv", "--cv-lambdas", "0.0001, 0.1,0.01", "--folds", "3", "--epochs", "10", "--model", _cli.PathOf("m.json"));

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("l2, 3 lambdas from 0.1 to 0.0001 (--cv-lambdas)", r.Output, StringComparison.Ordinal);
        Assert.Equal(["0.1", "0.01", "0.0001"], CvRows(r.Output).Select(row => row.LambdaText));
        Assert.All(CvRows(r.Output), row => Assert.Equal(112, row.Nonzero));
        string chosen = ChosenLine().Match(r.Output).Groups[1].Value;
        Assert.Contains($"cross-entropy, L2({chosen})", r.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_is_the_librarys_cross_validation_with_standardization_fitted_on_each_training_fold()
    {
        CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", "proximal-l1", "--lambda", "cv", "--cv-lambdas", "0.03,0.01,0.003,0.001", "--folds", "4", "--seed", "3", "--epochs", "15", "--model", _cli.PathOf("m.json"));
        Assert.Equal(0, r.ExitCode);
        double[] printed = [.. CvRows(r.Output).Select(row => row.Loss)];

        // The same run through the library: the CLI's split, network, trainer options and a per-fold standardization.
        Dataset all = CsvDataset.Load(CliRunner.Iris).Dataset;
        Dataset train = DataSplit.Stratified(all, 0.2, 3).Train;
        double[] Expected(IPreprocessor preprocess)
        {
            var cv = new CrossValidation(
                new RegularizationPathOptions
                {
                    Trainer = new TrainerOptions { Epochs = 15, LearningRate = 0.05f, BatchSize = 16, Loss = LossFunction.CrossEntropy, Seed = 3 },
                    CreateRegularizer = Regularizer.ProximalL1,
                    Lambdas = [0.03f, 0.01f, 0.003f, 0.001f],
                },
                new CrossValidationOptions { Folds = 4, Stratified = true, Seed = 3, Preprocessing = preprocess });
            DenseNetwork network = TrainCommand.Build(new TrainSettings { Data = "iris.csv", Seed = 3 }, train.FeatureCount, train.ClassCount);
            return [.. cv.Run(network, train).Scores.Select(s => Math.Round(s.MeanLoss, 4))];
        }

        Assert.Equal(Expected(new Standardizer()), printed);

        // Control: standardizing every fold with the statistics of all the training rows (leaking the validation fold) gives other numbers.
        Assert.NotEqual(Expected(new AlwaysFitted(new Standardizer().Fit(train))), printed);
    }

    [Fact]
    public void Proximal_l1_reaches_exact_zeros_where_subgradient_l1_does_not()
    {
        int ExactZeros(string regularizer)
        {
            CliResult r = _cli.Run("train", CliRunner.Iris, "--regularizer", regularizer, "--lambda", "0.01", "--epochs", "60", "--model", _cli.PathOf("m.json"));
            Assert.Equal(0, r.ExitCode);
            Match m = Regex.Match(r.Output, @"[│|] all\s*[│|]\s*112\s*[│|]\s*[0-9.]+\s*[│|]\s*\d+\s*[│|]\s*(\d+)\s*[│|]");
            Assert.True(m.Success, r.Output);
            return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        Assert.Equal(0, ExactZeros("l1"));
        Assert.True(ExactZeros("proximal-l1") > 0);
        Assert.True(ExactZeros("cumulative-l1") > 0);
    }

    [Theory]
    [InlineData("l2", "L2 shrinks weights but never sets one exactly to zero")]
    [InlineData("l1", "subgradient L1 steps over zero")]
    [InlineData("elasticnet", "the subgradient elastic net steps over zero")]
    public void Cv_without_exact_zeros_and_without_a_grid_is_a_one_line_usage_error(string regularizer, string why)
    {
        string line = _cli.Run("train", CliRunner.Iris, "--regularizer", regularizer, "--lambda", "cv", "--model", _cli.PathOf("m.json")).AssertOneLineError(2);
        Assert.StartsWith($"error: --lambda cv with --regularizer {regularizer} needs --cv-lambdas: {why}", line, StringComparison.Ordinal);
        Assert.EndsWith("give a grid (e.g. --cv-lambdas 0.01,0.003,0.001,0.0003) or use --regularizer proximal-l1, cumulative-l1 or proximal-elasticnet.", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("m.json")));
    }

    [Fact]
    public void Cv_with_the_proximal_elastic_net_needs_an_l1_part()
    {
        string line = _cli.Run("train", CliRunner.Iris, "--regularizer", "proximal-elasticnet", "--l1-ratio", "0", "--lambda", "cv").AssertOneLineError(2);
        Assert.Contains("with --l1-ratio 0 the proximal elastic net is plain L2", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cv-lambdas", "0.1,x", "--cv-lambdas must be comma-separated numbers >= 0 (e.g. 0.01,0.001,0.0001), not '0.1,x'.")]
    [InlineData("--cv-lambdas", "0.1,-0.01", "--cv-lambdas must be comma-separated numbers >= 0")]
    [InlineData("--cv-lambdas", "0.1", "--cv-lambdas must hold at least two different lambdas to choose from, not '0.1'.")]
    [InlineData("--cv-lambdas", "0.1,0.01,0.1", "--cv-lambdas must hold at least two different lambdas")]
    [InlineData("--cv-rule", "max", "--cv-rule must be one of 1se, min, not 'max'.")]
    [InlineData("--cv-measure", "auc", "--cv-measure must be one of loss, accuracy, not 'auc'.")]
    [InlineData("--folds", "121", "--folds 121 needs at least 121 training rows, but there are 120.")]
    [InlineData("--cv-repeats", "0", "--cv-repeats must be at least 1, not 0.")]
    public void A_bad_cv_option(string option, string value, string expected)
    {
        string line = _cli.Run("train", CliRunner.Iris, "--regularizer", "proximal-l1", "--lambda", "cv", option, value, "--model", _cli.PathOf("m.json")).AssertOneLineError(2);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("m.json")));
    }

    [Fact]
    public void A_grid_without_cv_is_a_usage_error() =>
        Assert.Equal(
            "error: --cv-lambdas is only used with --lambda cv.",
            _cli.Run("train", CliRunner.Iris, "--regularizer", "proximal-l1", "--lambda", "0.01", "--cv-lambdas", "0.1,0.01").AssertOneLineError(2));

    /// <summary>A step whose Fit ignores the rows it is given and returns one fixed fitted step (a leak, for the control).</summary>
    private sealed class AlwaysFitted(IPreprocessor fitted) : IPreprocessor
    {
        public string Name => fitted.Name;

        public bool IsFitted => true;

        public int FeatureCount => fitted.FeatureCount;

        public IPreprocessor Fit(Dataset trainingRows) => fitted;

        public void Transform(ReadOnlySpan<float> features, Span<float> destination) => fitted.Transform(features, destination);

        public Dataset Transform(Dataset data) => fitted.Transform(data);
    }
}
