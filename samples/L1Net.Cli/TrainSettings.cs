using L1Net.Activations;
using L1Net.Data;
using L1Net.Losses;
using L1Net.Regularization;
using L1Net.Selection;

namespace L1Net.Cli;

/// <summary>The parsed options of <c>train</c>, validated before any file is read.</summary>
internal sealed class TrainSettings
{
    public required string Data { get; init; }
    public string? Test { get; init; }
    public double TestSplit { get; init; } = 0.2;

    /// <summary>Whether --test-split was given on the command line (not its default).</summary>
    public bool TestSplitGiven { get; init; }
    public int[] Hidden { get; init; } = [16];
    public Activation Activation { get; init; } = Activation.Tanh;
    public LossFunction Loss { get; init; } = LossFunction.CrossEntropy;
    public string Regularizer { get; init; } = "none";
    public string? Lambda { get; init; }
    public double L1Ratio { get; init; } = 0.5;
    public int Epochs { get; init; } = 200;
    public float LearningRate { get; init; } = 0.05f;
    public int BatchSize { get; init; } = 16;
    public float Momentum { get; init; }
    public int Seed { get; init; }
    public bool Standardize { get; init; } = true;
    public float Threshold { get; init; } = 1e-3f;
    public string Model { get; init; } = "model.json";
    public int Folds { get; init; } = 5;
    public int CvRepeats { get; init; } = 1;
    public bool CvOneStandardError { get; init; } = true;
    public bool CvRelax { get; init; }
    public int? MaxInputs { get; init; }
    public int? BudgetRefinement { get; init; }
    public CrossValidationMeasure CvMeasure { get; init; } = CrossValidationMeasure.Loss;
    public float[]? CvLambdas { get; init; }
    public bool Progress { get; init; } = true;
    public string? Label { get; init; }
    public int? LabelPosition { get; init; }
    public char Delimiter { get; init; } = ',';

    /// <summary>How the training and test CSVs are read: the label column by name or position, and the delimiter.</summary>
    public CsvDatasetOptions CsvOptions(IReadOnlyList<string>? classNames = null) => new()
    {
        LabelColumn = Label ?? CsvDataset.DefaultLabelColumn,
        LabelColumnIndex = LabelPosition - 1,
        Delimiter = Delimiter,
        ClassNames = classNames,
    };
    public bool SaveOnCancel { get; init; }

    public bool Prune { get; init; }

    public bool LambdaByCrossValidation => string.Equals(Lambda, "cv", StringComparison.OrdinalIgnoreCase);

    public void Validate()
    {
        Check(TestSplit is >= 0 and < 1, Inv($"--test-split must be at least 0 and below 1, not {TestSplit}."));
        Check(Test is null || !TestSplitGiven || TestSplit == 0, "give the test rows either as a file (--test) or as a fraction held out (--test-split), not both.");
        Check(Epochs >= 1, $"--epochs must be at least 1, not {Epochs}.");
        Check(float.IsFinite(LearningRate) && LearningRate > 0f, Inv($"--learning-rate must be a finite number above 0, not {LearningRate}."));
        Check(BatchSize >= 1, $"--batch-size must be at least 1, not {BatchSize}.");
        Check(float.IsFinite(Momentum) && Momentum is >= 0f and < 1f, Inv($"--momentum must be at least 0 and below 1, not {Momentum}."));
        Check(L1Ratio is >= 0 and <= 1, Inv($"--l1-ratio must be between 0 and 1, not {L1Ratio}."));
        Check(float.IsFinite(Threshold) && Threshold >= 0f, Inv($"--threshold must be a finite number >= 0, not {Threshold}."));
        Check(Folds >= 2, $"--folds must be at least 2, not {Folds}.");
        Check(CvRepeats >= 1, $"--cv-repeats must be at least 1, not {CvRepeats}.");
        Check(!CvRelax || LambdaByCrossValidation, "--cv-relax needs --lambda cv.");
        Check(MaxInputs is null || LambdaByCrossValidation, "--max-inputs needs --lambda cv.");
        Check(MaxInputs is null or >= 1, $"--max-inputs must be at least 1, not {MaxInputs}.");
        Check(BudgetRefinement is null || MaxInputs is not null, "--budget-refinement needs --max-inputs.");
        Check(BudgetRefinement is null or (>= 0 and <= CrossValidationOptions.MaxBudgetRefinement), Inv($"--budget-refinement must be at least 0 (0: off) and at most {CrossValidationOptions.MaxBudgetRefinement}, not {BudgetRefinement}."));
        Check(!string.IsNullOrWhiteSpace(Model), "--model must name a file.");
        Check(LabelPosition is null or >= 1, $"--label-position must be at least 1 (the first column), not {LabelPosition}.");
        Check(Label is null || LabelPosition is null, "give the label column either by name (--label) or by position (--label-position), not both.");
        Check(Label is null || !string.IsNullOrWhiteSpace(Label), "--label must name a column.");
        FilePaths.RequireNewFilePath("--model", Model, "model", "model.json");

        // The model is written beside the file a symbolic link finally points to: that is the folder that must be writable.
        string? writeFolder = Path.GetDirectoryName(FilePaths.WriteTarget(Model));
        Check(writeFolder is null || Directory.Exists(writeFolder), $"--model: {Model} leads to the folder {writeFolder}, which does not exist.");
        if (writeFolder is not null && FilePaths.WhyNotWritable(writeFolder) is { } unwritable)
        {
            throw new CliException($"--model: cannot write in the folder {writeFolder} ({unwritable}); choose another --model.", ExitCodes.UsageError);
        }

        if (Lambda is not null && !LambdaByCrossValidation)
        {
            TrainCommand.ParseLambda(Lambda);
            Check(Regularizer != "none", "--lambda needs a regularizer: add --regularizer l1 (or l2, elasticnet, ...).");
        }

        Check(!(Lambda is not null && Regularizer == "none"), "--lambda cv needs a regularizer: add --regularizer proximal-l1 (or cumulative-l1, proximal-elasticnet, ...).");
        Check(CvLambdas is null || LambdaByCrossValidation, "--cv-lambdas is only used with --lambda cv.");
        if (LambdaByCrossValidation && CvLambdas is null && Regularizers.WhyNoExactZeros(Regularizer, L1Ratio) is { } why)
        {
            throw new CliException(
                $"--lambda cv with --regularizer {Regularizer} needs --cv-lambdas: {why}, so the path's largest lambda (the smallest that zeroes every weight) cannot be searched; " +
                "give a grid (e.g. --cv-lambdas 0.01,0.003,0.001,0.0003) or use --regularizer proximal-l1, cumulative-l1 or proximal-elasticnet.",
                ExitCodes.UsageError);
        }
    }

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new CliException(message, ExitCodes.UsageError);
        }
    }
}
