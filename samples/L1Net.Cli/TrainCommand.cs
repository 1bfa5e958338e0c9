using System.CommandLine;
using System.Globalization;
using L1Net.Activations;
using L1Net.Data;
using L1Net.Losses;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Serialization;
using L1Net.Training;
using Spectre.Console;

namespace L1Net.Cli;

/// <summary><c>train DATA.csv</c>: trains a network, reports accuracy and sparsity, saves the model (network, standardization, names and provenance) as one file.</summary>
internal static class TrainCommand
{
    private static readonly string[] Activations = ["tanh", "sigmoid", "relu", "identity"];
    private static readonly string[] Losses = ["crossentropy", "squared"];

    public static Command Create(IAnsiConsole console, TextWriter output, TextWriter error, Interrupt interrupt)
    {
        var data = new Argument<string>("data") { Description = "Training CSV: a header row, then one row per sample; the class label (integers 0, 1, ... or names such as setosa) in the column named 'label' unless --label or --label-position says otherwise; every other column is a feature." };
        var label = new Option<string?>("--label") { Description = "Name of the class label column (default 'label'; any position).", HelpName = "column" };
        var labelPosition = new Option<int?>("--label-position") { Description = "Position of the class label column instead of its name: 1 is the first column.", HelpName = "n", CustomParser = static r => InvariantNumbers.Int32(r) };
        var delimiter = DelimiterOption.Create("files");
        var test = new Option<string?>("--test") { Description = "A separate test CSV in the same format (instead of --test-split).", HelpName = "file" };
        var testSplit = new Option<double>("--test-split") { Description = "Fraction of each class held out for testing; 0 trains on everything.", DefaultValueFactory = _ => 0.2, HelpName = "fraction", CustomParser = InvariantNumbers.Double };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer sizes, comma-separated (e.g. 16,8); 'none' for no hidden layer.", DefaultValueFactory = _ => "16", HelpName = "sizes" };
        var activation = new Option<string>("--activation") { Description = "Hidden activation: tanh, sigmoid, relu or identity.", DefaultValueFactory = _ => "tanh" };
        var loss = new Option<string>("--loss") { Description = "Loss: crossentropy or squared (the output layer is softmax).", DefaultValueFactory = _ => "crossentropy" };
        var regularizer = new Option<string>("--regularizer") { Description = $"Regularizer: {string.Join(", ", Regularizers.Names)}.", DefaultValueFactory = _ => "none" };
        var lambda = new Option<string?>("--lambda") { Description = "Regularization strength (default 0.001 when a regularizer is chosen), or 'cv' to choose it by cross-validation.", HelpName = "value|cv" };
        var l1Ratio = new Option<double>("--l1-ratio") { Description = "Elastic net mix: l1 = lambda * ratio, l2 = lambda * (1 - ratio).", DefaultValueFactory = _ => 0.5, HelpName = "ratio", CustomParser = InvariantNumbers.Double };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training data.", DefaultValueFactory = _ => 200, CustomParser = InvariantNumbers.Int32 };
        var rate = new Option<float>("--learning-rate", "--lr") { Description = "Step size.", DefaultValueFactory = _ => 0.05f, HelpName = "rate", CustomParser = InvariantNumbers.Single };
        var batch = new Option<int>("--batch-size") { Description = "Rows per update; 1 is per-sample SGD.", DefaultValueFactory = _ => 16, HelpName = "rows", CustomParser = InvariantNumbers.Int32 };
        var momentum = new Option<float>("--momentum") { Description = "Classical momentum in [0, 1).", DefaultValueFactory = _ => 0f, CustomParser = InvariantNumbers.Single };
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights, the sample order and the test split.", DefaultValueFactory = _ => 0, CustomParser = InvariantNumbers.Int32 };
        var noStandardize = new Option<bool>("--no-standardize") { Description = "Use the features as they are (by default each is scaled to mean 0, standard deviation 1 on the training rows; predict applies the same scaling)." };
        var threshold = new Option<float>("--threshold") { Description = "|w| below this counts as near zero in the sparsity report.", DefaultValueFactory = _ => 1e-3f, CustomParser = InvariantNumbers.Single };
        var model = new Option<string>("--model", "-o") { Description = "Where to save the model: one file with the network, the standardization, the feature and class names and how it was trained.", DefaultValueFactory = _ => "model.json", HelpName = "file" };
        var folds = new Option<int>("--folds") { Description = "Folds for --lambda cv (stratified).", DefaultValueFactory = _ => 5, CustomParser = InvariantNumbers.Int32 };
        var cvRepeats = new Option<int>("--cv-repeats") { Description = "Repeats of the k-fold split for --lambda cv, each with other folds (seed, seed + 1, ...); more repeats give a steadier choice.", DefaultValueFactory = _ => 1, CustomParser = InvariantNumbers.Int32 };
        var cvRule = new Option<string>("--cv-rule") { Description = "Which lambda --lambda cv picks: 1se (the largest lambda within one standard error of the best: sparser) or min (the best).", DefaultValueFactory = _ => "1se" };
        var cvRelax = new Option<bool>("--cv-relax") { Description = "Relaxed CV for --lambda cv: score each lambda by a network trained without penalty on just the inputs it selects, and save that refit (it picks the inputs, not the shrinkage; use with group-l1 or an L1 regularizer)." };
        var maxInputs = new Option<int?>("--max-inputs") { Description = "An input budget for --lambda cv: the rule picks only among the lambdas whose model on all the training rows uses at most this many inputs (glmnet's dfmax; use with group-l1 or an L1 regularizer, and --cv-relax to refit on them).", HelpName = "count", CustomParser = static r => InvariantNumbers.Int32(r) };
        var budgetRefinement = new Option<int?>("--budget-refinement") { Description = "Rounds of lambda refinement for --max-inputs: where the input count of the path on all the training rows jumps over the budget between two neighbouring lambdas, lambdas are bisected into that gap (before the folds run, and scored by every fold) until one uses exactly the budget (default 6; 0: off).", HelpName = "rounds", CustomParser = static r => InvariantNumbers.Int32(r) };
        var cvMeasure = new Option<string>("--cv-measure") { Description = "What --lambda cv compares: loss (mean validation loss) or accuracy.", DefaultValueFactory = _ => "loss" };
        var cvLambdas = new Option<string?>("--cv-lambdas") { Description = "The lambdas --lambda cv tries, comma-separated; by default 20 from a searched lambda_max down to 1/1000 of it (needed for l1, l2, elasticnet, which never reach exact zeros).", HelpName = "list" };
        var noProgress = new Option<bool>("--no-progress") { Description = "No progress bar." };
        var prune = new Option<bool>("--prune") { Description = "Save the compact model: without the inputs and hidden units that cannot change any output (exact zero weights); it still predicts from full rows." };
        var saveOnCancel = new Option<bool>("--save-on-cancel") { Description = "When Ctrl+C stops training, save the model as trained so far (by default a stopped run saves nothing)." };

        var command = new Command("train", "Train a network on a CSV file, report train/test accuracy and sparsity, and save the model.")
        {
            data, test, testSplit, hidden, activation, loss, regularizer, lambda, l1Ratio, epochs, rate, batch, momentum, seed,
            noStandardize, threshold, model, folds, cvRepeats, cvRule, cvRelax, maxInputs, budgetRefinement, cvMeasure, cvLambdas, noProgress, saveOnCancel, prune, label, labelPosition, delimiter,
        };

        command.SetAction(parse => Run(console, output, error, interrupt, new TrainSettings
        {
            Data = parse.GetRequiredValue(data),
            Test = parse.GetValue(test),
            TestSplit = parse.GetValue(testSplit),
            TestSplitGiven = parse.GetResult(testSplit) is { Implicit: false },
            Hidden = ParseHidden(parse.GetValue(hidden)!),
            Activation = ParseChoice(parse.GetValue(activation)!, "--activation", Activations) switch
            {
                "tanh" => Activation.Tanh,
                "sigmoid" => Activation.Sigmoid,
                "relu" => Activation.ReLU,
                _ => Activation.Identity,
            },
            Loss = ParseChoice(parse.GetValue(loss)!, "--loss", Losses) == "squared" ? LossFunction.SquaredError : LossFunction.CrossEntropy,
            Regularizer = ParseChoice(parse.GetValue(regularizer)!, "--regularizer", Regularizers.Names),
            Lambda = parse.GetValue(lambda),
            L1Ratio = parse.GetValue(l1Ratio),
            Epochs = parse.GetValue(epochs),
            LearningRate = parse.GetValue(rate),
            BatchSize = parse.GetValue(batch),
            Momentum = parse.GetValue(momentum),
            Seed = parse.GetValue(seed),
            Standardize = !parse.GetValue(noStandardize),
            Threshold = parse.GetValue(threshold),
            Model = parse.GetValue(model)!,
            Folds = parse.GetValue(folds),
            CvRepeats = parse.GetValue(cvRepeats),
            CvOneStandardError = ParseChoice(parse.GetValue(cvRule)!, "--cv-rule", LambdaSelection.Rules) == "1se",
            CvRelax = parse.GetValue(cvRelax),
            MaxInputs = parse.GetValue(maxInputs),
            BudgetRefinement = parse.GetValue(budgetRefinement),
            CvMeasure = ParseChoice(parse.GetValue(cvMeasure)!, "--cv-measure", LambdaSelection.Measures) == "loss" ? CrossValidationMeasure.Loss : CrossValidationMeasure.MisclassificationError,
            CvLambdas = parse.GetValue(cvLambdas) is { } grid ? LambdaSelection.ParseLambdas(grid) : null,
            Progress = !parse.GetValue(noProgress),
            Label = parse.GetValue(label),
            LabelPosition = parse.GetValue(labelPosition),
            Delimiter = DelimiterOption.Parse(parse.GetValue(delimiter)!),
            SaveOnCancel = parse.GetValue(saveOnCancel),
            Prune = parse.GetValue(prune),
        }));
        return command;
    }

    private static int Run(IAnsiConsole console, TextWriter output, TextWriter error, Interrupt interrupt, TrainSettings s)
    {
        s.Validate();
        FilePaths.RefuseToOverwrite("--model", s.Model, ("the training data", s.Data), ("the test data", s.Test));
        CsvDataset csv = CsvDataset.Load(s.Data, s.CsvOptions());
        CheckNamesFitAModelFile(csv);
        CheckNetworkSize(s, csv.Dataset.FeatureCount, csv.Dataset.ClassCount);
        Dataset all = csv.Dataset;
        Dataset train, test;
        string testSource;
        if (s.Test is not null)
        {
            CsvDataset testCsv = CsvDataset.Load(s.Test, s.CsvOptions(csv.ClassNames));
            CheckSameColumns(csv, testCsv);
            (train, test) = (all, testCsv.Dataset);
            testSource = $"{s.Test}: {test.Count} rows";
        }
        else if (s.TestSplit > 0)
        {
            (train, test) = DataSplit.Stratified(all, s.TestSplit, s.Seed);
            testSource = Inv($"{test.Count} rows held out ({s.TestSplit * 100:0.#}% of each class, seed {s.Seed})");
        }
        else
        {
            (train, test) = (all, null!);
            testSource = "none (--test-split 0)";
        }

        var options = new TrainerOptions
        {
            Epochs = s.Epochs,
            LearningRate = s.LearningRate,
            BatchSize = s.BatchSize,
            Momentum = s.Momentum,
            Loss = s.Loss,
            Seed = s.Seed,
            ReportInterval = Math.Max(1, s.Epochs / 100),
        };

        output.WriteLine(Inv($"data     {s.Data}: {all.Count} rows, {all.FeatureCount} features, {all.ClassCount} classes; training on {train.Count} rows"));
        output.WriteLine($"test     {testSource}");
        LambdaChoice lambda;
        using (interrupt.Arm())
        {
            try
            {
                lambda = ResolveLambda(console, output, s, train, options, interrupt.Token);
            }
            catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
            {
                if (s.Progress && console.Profile.Capabilities.Interactive)
                {
                    console.Cursor.Show(true); // the cross-validation's progress display hid it
                }

                error.WriteLine("interrupted: Ctrl+C stopped the cross-validation of --lambda cv; nothing was trained to the end, nothing was saved.");
                return ExitCodes.Interrupted;
            }
        }

        Standardizer? scaling = s.Standardize ? new Standardizer().Fit(train) : null;
        if (scaling is not null)
        {
            train = Scaling.Apply(scaling, train, s.Data, csv.FeatureNames);
            test = test is null ? null! : Scaling.Apply(scaling, test, s.Test ?? s.Data, csv.FeatureNames);
        }

        IRegularizer regularizer = Regularizers.Create(s.Regularizer, lambda.Lambda, (float)s.L1Ratio);
        DenseNetwork network = Build(s, train.FeatureCount, train.ClassCount);
        output.WriteLine(Inv($"network  {Describe(network)}, {(s.Loss == LossFunction.CrossEntropy ? "cross-entropy" : "squared error")}, {regularizer.Name}"));
        string how = Inv($"{s.Epochs} epochs, learning rate {s.LearningRate}, batch {s.BatchSize}, momentum {s.Momentum}, seed {s.Seed}, {(scaling is null ? "raw features" : "standardized features")}");
        var trainer = new BackPropTrainer(options, regularizer);
        TrainingResult result;
        if (lambda.Model is { } point)
        {
            // The cross-validation refitted the chosen lambda on all the training rows, from the same initial network and
            // with the same options as this training would use, so its model is used as it is, not trained again.
            output.WriteLine(s.CvRelax
                ? Inv($"training done by the cross-validation's relaxed refit: {how}, from the initial network, without penalty, on the {point.Selection.Inputs.Count} inputs selected at lambda {point.Lambda.ToString("G3", CultureInfo.InvariantCulture)}")
                : $"training done by the cross-validation's refit: {how}, from the initial network");
            point.CopyTo(network);
            result = point.Training;
        }
        else
        {
            // Armed before the line that announces training, so a Ctrl+C after it always stops training cleanly.
            using IDisposable armed = interrupt.Arm();
            output.WriteLine($"training {how}");
            output.Flush();
            result = TrainWithProgress(console, s, trainer, network, train, interrupt.Token);
        }

        if (result.StopReason == TrainingStopReason.Diverged)
        {
            throw new CliException($"training diverged (a loss or weight became NaN or infinite) in epoch {result.StopEpoch}, step {result.StopStep}; try a smaller --learning-rate. No model was saved.");
        }

        bool cancelled = result.StopReason == TrainingStopReason.Cancelled;
        if (cancelled)
        {
            error.WriteLine(Inv(
                $"interrupted: Ctrl+C stopped training in epoch {result.StopEpoch} of {s.Epochs} after {result.Steps} steps ({result.EpochsCompleted} whole epochs); ") +
                (s.SaveOnCancel ? "the model as trained so far is reported below and saved (--save-on-cancel)." : "the model as trained so far is reported below and was not saved (--save-on-cancel saves it)."));
            error.Flush();
        }

        Reports.Accuracy(console, network, s.Loss, ("train", train), ("test", test));
        if (lambda.Estimate is { } estimate)
        {
            Reports.CvAgainstTest(output, estimate, lambda.Folds, network, test);
        }

        Reports.Sparsity(console, output, network, s.Threshold, csv.FeatureNames);
        IReadOnlyList<string> warnings = cancelled ? [] : TrainingCheck.Warnings(network, train, s.Loss, scaling is null ? new Standardizer().Fit(train).Scales.ToArray() : null);
        foreach (string warning in warnings)
        {
            error.WriteLine($"warning: {warning}");
        }

        if (cancelled && !s.SaveOnCancel)
        {
            output.Flush();
            return ExitCodes.Interrupted;
        }

        var classifier = new ClassificationModel(network, csv.FeatureNames, csv.ClassNames)
        {
            Preprocessor = scaling,
            LabelName = csv.LabelName,
            Provenance = ModelProvenance.From(trainer, train.Count, s.Regularizer == "none" ? null : lambda.Lambda) with
            {
                Notes = FitAModelFile(Inv($"{Describe(network)}; {regularizer.Name}{(lambda.Description.Length == 0 ? string.Empty : $" ({lambda.Description})")}; {s.Epochs} epochs{(cancelled ? Inv($" (stopped by Ctrl+C after {result.Steps} steps)") : string.Empty)}; rate {s.LearningRate}; batch {s.BatchSize}; seed {s.Seed}; data {Path.GetFileName(s.Data)}")),
            },
        };

        if (s.Prune)
        {
            int parameters = classifier.Network.ParameterCount;
            classifier = classifier.Prune();
            output.WriteLine(Inv($"pruned   {classifier.InputFeatures.Count} of {classifier.FeatureCount} inputs kept: {string.Join(", ", classifier.InputFeatureNames)}; {classifier.Network.ParameterCount} of {parameters} parameters; network {Describe(classifier.Network)}"));
        }

        // One file, saved atomically; through a symbolic link the file it points to is replaced, and the link stays a link.
        ModelSerializer.SaveToFile(classifier, FilePaths.WriteTarget(s.Model));
        output.WriteLine($"saved    {s.Model} (one file: network, {(scaling is null ? "no standardization" : "standardization")}, {classifier.FeatureCount} feature names, classes {DescribeClasses(classifier.ClassNames)})");
        output.Flush();
        return cancelled ? ExitCodes.Interrupted : warnings.Count > 0 ? ExitCodes.TrainingUnusable : ExitCodes.Success;
    }

    private static TrainingResult TrainWithProgress(IAnsiConsole console, TrainSettings s, BackPropTrainer trainer, DenseNetwork network, Dataset train, CancellationToken cancel)
    {
        if (!s.Progress || !console.Profile.Capabilities.Interactive)
        {
            return trainer.Train(network, train, cancellationToken: cancel);
        }

        TrainingResult? result = null;
        try
        {
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask("training", maxValue: s.Epochs);
                    result = trainer.Train(
                        network,
                        train,
                        new Reporter(r =>
                        {
                            task.Value = r.Epoch;
                            task.Description = Inv($"epoch {r.Epoch}/{r.Epochs}  loss {r.Loss:F4}  train acc {r.Accuracy:F3}");
                        }),
                        cancel);
                    task.StopTask();
                });
        }
        finally
        {
            // The progress display hides the cursor; whatever ended it (completion, Ctrl+C), the terminal gets it back.
            console.Cursor.Show(true);
        }

        return result!;
    }

    private static LambdaChoice ResolveLambda(IAnsiConsole console, TextWriter output, TrainSettings s, Dataset train, TrainerOptions options, CancellationToken cancel)
    {
        if (s.Lambda is null)
        {
            return new LambdaChoice(s.Regularizer == "none" ? 0f : 1e-3f, string.Empty, null);
        }

        return s.LambdaByCrossValidation
            ? LambdaSelection.ChooseByCrossValidation(console, output, s, train, options, cancel)
            : new LambdaChoice(ParseLambda(s.Lambda), string.Empty, null);
    }

    internal static float ParseLambda(string text)
    {
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value) || value < 0f)
        {
            throw new CliException($"--lambda must be a finite number >= 0 or 'cv', not '{text}'.", ExitCodes.UsageError);
        }

        return value;
    }

    internal static DenseNetwork Build(TrainSettings s, int features, int classes)
    {
        NetworkBuilder builder = NetworkBuilder.Input(features);
        foreach (int units in s.Hidden)
        {
            builder.Dense(units, s.Activation);
        }

        return builder.Dense(classes, Activation.Softmax).Build(new GlorotUniformInitializer(s.Seed));
    }

    internal static string Describe(INetwork network) =>
        $"{network.InputSize}-" + string.Join("-", network.Layers.Select(l => $"{l.OutputSize} {l.Activation.ToString().ToLowerInvariant()}"));

    /// <summary>
    /// Refuses, before training, a data file whose column or class names a model file cannot hold
    /// (<see cref="ModelSerializer.MaxNameLength"/>): the model could not be saved at the end.
    /// </summary>
    private static void CheckNamesFitAModelFile(CsvDataset csv)
    {
        int max = ModelSerializer.MaxNameLength;
        for (int c = 0; c < csv.FeatureNames.Count; c++)
        {
            if (csv.FeatureNames[c].Length > max)
            {
                throw new CliException(Inv($"{csv.SourceName}: the name of feature column {c + 1} is {csv.FeatureNames[c].Length} characters long; a model file holds names of at most {max} characters: shorten it."));
            }
        }

        if (csv.LabelName.Length > max)
        {
            throw new CliException(Inv($"{csv.SourceName}: the name of the label column is {csv.LabelName.Length} characters long; a model file holds names of at most {max} characters: shorten it."));
        }

        foreach (string name in csv.ClassNames)
        {
            if (name.Length > max)
            {
                throw new CliException(Inv($"{csv.SourceName}: a class label is {name.Length} characters long; a model file holds class names of at most {max} characters: shorten it."));
            }
        }
    }

    /// <summary>Refuses, before any training, a --hidden whose network for these data would exceed <see cref="DenseNetwork.MaxParameterCount"/>.</summary>
    private static void CheckNetworkSize(TrainSettings s, int features, int classes)
    {
        long parameters = 0;
        int previous = features;
        foreach (int units in s.Hidden.Append(classes))
        {
            parameters += ((long)previous * units) + units;
            previous = units;
        }

        if (parameters > DenseNetwork.MaxParameterCount)
        {
            throw new CliException(Inv($"--hidden {string.Join(",", s.Hidden)}: the network for {features} features and {classes} classes would have {parameters} parameters, more than the {DenseNetwork.MaxParameterCount} a network may have."), ExitCodes.UsageError);
        }
    }

    /// <summary><paramref name="text"/> cut to the longest provenance text a model file holds, ending in "..." when cut.</summary>
    internal static string FitAModelFile(string text) =>
        text.Length <= ModelSerializer.MaxNameLength ? text : MessageText.Cut(text, ModelSerializer.MaxNameLength - 3);

    private static void CheckSameColumns(CsvDataset train, CsvDataset test)
    {
        if (test.FeatureNames.Count != train.FeatureNames.Count)
        {
            throw new CliException($"{test.SourceName} has {test.FeatureNames.Count} feature columns, but {train.SourceName} has {train.FeatureNames.Count}.");
        }

        for (int c = 0; c < train.FeatureNames.Count; c++)
        {
            if (!string.Equals(train.FeatureNames[c], test.FeatureNames[c], StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"{test.SourceName}: column {c + 1} is {MessageText.Quote(test.FeatureNames[c])}, but in {train.SourceName} it is {MessageText.Quote(train.FeatureNames[c])}.");
            }
        }
    }

    private static int[] ParseHidden(string text)
    {
        if (string.Equals(text.Trim(), "none", StringComparison.OrdinalIgnoreCase) || text.Trim().Length == 0)
        {
            return [];
        }

        string[] parts = text.Split(',');
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] is < 1 or > 4096)
            {
                throw new CliException($"--hidden must be comma-separated layer sizes from 1 to 4096 (e.g. 16,8) or 'none', not '{text}'.", ExitCodes.UsageError);
            }
        }

        return sizes;
    }

    private static string ParseChoice(string value, string option, string[] choices)
    {
        string v = value.Trim().ToLowerInvariant();
        return Array.IndexOf(choices, v) >= 0
            ? v
            : throw new CliException($"{option} must be one of {string.Join(", ", choices)}, not '{value}'.", ExitCodes.UsageError);
    }

    internal static string DescribeClasses(IReadOnlyList<string> names) =>
        names.Count <= 8 ? string.Join(", ", names) : string.Join(", ", names.Take(8)) + Inv($", ... ({names.Count} in all)");

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);

    private sealed class Reporter(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
