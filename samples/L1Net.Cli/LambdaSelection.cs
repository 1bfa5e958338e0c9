using System.Globalization;
using L1Net.Data;
using L1Net.Networks;
using L1Net.Regularization;
using L1Net.Selection;
using L1Net.Training;
using Spectre.Console;

namespace L1Net.Cli;

/// <summary>The lambda to train with, how it was chosen (for the model's metadata), and with <c>--lambda cv</c> the refitted model and the CV estimate at it.</summary>
/// <param name="Lambda">The strength.</param>
/// <param name="Description">How it was chosen; empty when given or defaulted.</param>
/// <param name="Model">With <c>--lambda cv</c>: the network refitted on all the training rows at <paramref name="Lambda"/> from the initial network.</param>
/// <param name="Estimate">With <c>--lambda cv</c>: the cross-validated scores at <paramref name="Lambda"/>.</param>
/// <param name="Folds">With <c>--lambda cv</c>: the folds behind <paramref name="Estimate"/>, e.g. <c>5-fold</c> or <c>3 x 5-fold</c>.</param>
internal sealed record LambdaChoice(float Lambda, string Description, PathPoint? Model = null, LambdaScore? Estimate = null, string Folds = "");

/// <summary>
/// <c>--lambda cv</c>: chooses lambda by k-fold cross-validation with the library's <see cref="CrossValidation"/> over a
/// regularization path of the chosen regularizer family, on the training rows only (the test rows are never seen), with
/// the standardization refitted on each fold's training rows. Every fold and every lambda start from the same initial
/// network (cold starts), folds run on every processor (bit-identical to one after the other), and the chosen lambda is
/// refitted on all the training rows. Prints the table of every lambda and returns the pick with its CV estimate.
/// </summary>
internal static class LambdaSelection
{
    public static readonly string[] Rules = ["1se", "min"];
    public static readonly string[] Measures = ["loss", "accuracy"];

    /// <summary>Runs the cross-validation on <paramref name="train"/> (raw features) and reports it.</summary>
    /// <param name="console">Renders the table and the progress bar.</param>
    /// <param name="output">Receives the plain lines.</param>
    /// <param name="s">The settings: regularizer family, folds, rule, measure, grid, seed, standardization.</param>
    /// <param name="train">The training rows, not yet standardized.</param>
    /// <param name="trainer">How every point of the path is trained (the same options as the final training).</param>
    /// <param name="cancel">Ctrl+C: stops the cross-validation with <see cref="OperationCanceledException"/>.</param>
    public static LambdaChoice ChooseByCrossValidation(IAnsiConsole console, TextWriter output, TrainSettings s, Dataset train, TrainerOptions trainer, CancellationToken cancel = default)
    {
        if (s.Folds > train.Count)
        {
            throw new CliException(Inv($"--folds {s.Folds} needs at least {s.Folds} training rows, but there are {train.Count}."), ExitCodes.UsageError);
        }

        float ratio = (float)s.L1Ratio;
        var cv = new CrossValidation(
            new RegularizationPathOptions
            {
                Trainer = trainer,
                CreateRegularizer = lambda => Regularizers.Create(s.Regularizer, lambda, ratio),
                Lambdas = s.CvLambdas,
            },
            new CrossValidationOptions
            {
                Folds = s.Folds,
                Repeats = s.CvRepeats,
                Stratified = true,
                Seed = s.Seed,
                Measure = s.CvMeasure,
                Rule = s.CvOneStandardError ? LambdaRule.OneStandardError : LambdaRule.Minimum,
                Refit = true,
                Relax = s.CvRelax,
                MaxInputs = s.MaxInputs,
                BudgetRefinement = s.BudgetRefinement ?? new CrossValidationOptions().BudgetRefinement,
                MaxDegreeOfParallelism = -1,
                Preprocessing = s.Standardize ? new Standardizer() : null,
            });
        DenseNetwork network = TrainCommand.Build(s, train.FeatureCount, train.ClassCount);
        int lambdaCount = s.CvLambdas?.Length ?? cv.PathOptions.LambdaCount;

        CrossValidationResult result;
        try
        {
            result = RunWithProgress(console, s, cv, network, train, lambdaCount, cancel);
        }
        catch (InputBudgetException e)
        {
            // No lambda met --max-inputs: said in the command line's own terms.
            throw new CliException(Inv(
                $"--lambda cv failed: No lambda's model uses at most {e.MaxInputs} input{(e.MaxInputs == 1 ? string.Empty : "s")} (--max-inputs {e.MaxInputs}); the fewest any lambda's model uses is {e.FewestInputs}. Add larger lambdas (--cv-lambdas), use a regularizer that removes inputs (group-l1, l1), or raise --max-inputs."));
        }
        catch (InvalidOperationException e)
        {
            // Every lambda diverged, or the search found no lambda that zeroes every weight.
            throw new CliException($"--lambda cv failed: {e.Message}");
        }

        string measure = s.CvMeasure == CrossValidationMeasure.Loss ? "loss" : "accuracy";
        string rule = s.CvOneStandardError ? "1se" : "min";
        string cvName = s.CvRelax ? "relaxed CV" : "CV";
        int chosen = result.IndexChosen;
        IReadOnlyList<LambdaScore> scores = result.Scores;
        output.WriteLine(Inv(
            $"cv       {FoldsText(s)} stratified cross-validation on the {train.Count} training rows, {s.Regularizer}, {scores.Count} lambdas ") +
            (s.CvLambdas is null
                ? Inv($"from {Lambda(scores[0].Lambda)} (searched: the smallest lambda that zeroes every weight) down to {Lambda(scores[^1].Lambda)}")
                : Inv($"from {Lambda(scores[0].Lambda)} to {Lambda(scores[^1].Lambda)} (--cv-lambdas)")) +
            (result.InsertedLambdas.Count > 0
                ? Inv($", {result.InsertedLambdas.Count} of them inserted where the path jumps over --max-inputs (--budget-refinement)")
                : string.Empty) +
            (s.Standardize ? "; standardization refitted on each fold's training rows" : string.Empty));
        output.Flush();
        Report(console, result, chosen, s.Folds * s.CvRepeats);
        output.WriteLine(Inv(
            $"chosen   lambda {Lambda(scores[chosen].Lambda)} by the {rule} rule on the {cvName} {measure}{(s.MaxInputs is int budget ? Inv($" among the lambdas using at most {budget} input{(budget == 1 ? string.Empty : "s")}") : string.Empty)} (lambda.min {Lambda(result.LambdaMin)}, lambda.1se {Lambda(result.Lambda1Se)}); ") +
            (s.CvRelax
                ? Inv($"the model is the unpenalized refit on the {result.Model.Selection.Inputs.Count} inputs selected at it, on all {train.Count} training rows from the initial network")
                : Inv($"the model is refitted at it on all {train.Count} training rows from the initial network")));
        return new LambdaChoice(scores[chosen].Lambda, Inv($"lambda by {FoldsText(s)} {cvName} ({rule}, {measure})"), result.Model, result.Chosen, FoldsText(s));
    }

    /// <summary>Parses <c>--cv-lambdas</c>: comma-separated numbers, each finite and at least 0, at least two, all different; returned largest first.</summary>
    public static float[] ParseLambdas(string text)
    {
        string[] parts = text.Split(',');
        var values = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]) || values[i] < 0f)
            {
                throw new CliException($"--cv-lambdas must be comma-separated numbers >= 0 (e.g. 0.01,0.001,0.0001), not '{text}'.", ExitCodes.UsageError);
            }
        }

        Array.Sort(values, static (a, b) => b.CompareTo(a));
        if (values.Length < 2 || values.Distinct().Count() != values.Length)
        {
            throw new CliException($"--cv-lambdas must hold at least two different lambdas to choose from, not '{text}'.", ExitCodes.UsageError);
        }

        return values;
    }

    private static CrossValidationResult RunWithProgress(IAnsiConsole console, TrainSettings s, CrossValidation cv, DenseNetwork network, Dataset train, int lambdaCount, CancellationToken cancel)
    {
        if (!s.Progress || !console.Profile.Capabilities.Interactive)
        {
            return cv.Run(network, train, cancellationToken: cancel);
        }

        CrossValidationResult? result = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                // The path on all the rows, then one per fold; the lambda_max search before them is not counted.
                int grid = lambdaCount;
                var gate = new object();
                ProgressTask task = context.AddTask("cross-validation", maxValue: ((s.Folds * s.CvRepeats) + 1) * lambdaCount);
                result = cv.Run(network, train, new Reporter(p =>
                {
                    if (p.Stage == PathStage.LambdaMaxSearch)
                    {
                        task.Description = Inv($"searching lambda_max: trial {p.Index + 1}, lambda {Lambda(p.Lambda)}, {p.NonzeroWeights} nonzero");
                        return;
                    }

                    if (p.Fold > 0 && p.Count != Volatile.Read(ref grid))
                    {
                        // The budget refinement added lambdas: every fold and the path on all the rows train them too.
                        lock (gate)
                        {
                            if (p.Count != grid)
                            {
                                task.MaxValue += ((s.Folds * s.CvRepeats) + 1) * (p.Count - grid);
                                grid = p.Count;
                            }
                        }
                    }

                    task.Increment(1);
                    task.Description = Inv($"{(p.Fold == 0 ? "all rows" : $"fold {p.Fold}/{p.Folds}")}  lambda {p.Index + 1}/{p.Count} {Lambda(p.Lambda)}");
                }), cancel);
                task.StopTask();
            });
        return result!;
    }

    private static void Report(IAnsiConsole console, CrossValidationResult result, int chosen, int folds)
    {
        string measure = result.Measure == CrossValidationMeasure.Loss ? "loss" : "accuracy";
        var table = new Table().Title(Inv($"{(result.Relaxed ? "relaxed cross-validation (unpenalized refits on each lambda's inputs)" : "cross-validation")}: mean over {folds} folds ± standard error; picked by {measure}"))
            .AddColumn(new TableColumn("lambda").RightAligned())
            .AddColumn(new TableColumn("CV loss").RightAligned())
            .AddColumn(new TableColumn("± SE").RightAligned())
            .AddColumn(new TableColumn("CV accuracy").RightAligned())
            .AddColumn(new TableColumn("± SE").RightAligned())
            .AddColumn(new TableColumn("nonzero").RightAligned())
            .AddColumn("pick");

        // With --cv-relax or --max-inputs the inputs each lambda's model uses decide the choice: show them.
        bool inputs = result.Relaxed || result.MaxInputs is not null;
        if (inputs)
        {
            table.AddColumn(new TableColumn("inputs").RightAligned());
        }

        table.Caption(result.MaxInputs is int budget
            ? Inv($"nonzero: weights not exactly 0 in the path's model on all the training rows; inputs: the inputs it uses (budget: at most {budget}, --max-inputs)")
            : inputs
            ? "nonzero: weights not exactly 0 in the path's model on all the training rows; inputs: the inputs it uses"
            : "nonzero: weights not exactly 0 in the path's model on all the training rows");
        for (int k = 0; k < result.Scores.Count; k++)
        {
            LambdaScore score = result.Scores[k];
            var picks = new List<string>(3);
            if (k == result.IndexMin)
            {
                picks.Add("min");
            }

            if (k == result.Index1Se)
            {
                picks.Add("1se");
            }

            if (result.InsertedLambdas.Contains(score.Lambda))
            {
                picks.Add("inserted");
            }

            if (k == chosen)
            {
                picks.Add("<- chosen");
            }

            var cells = new List<Text>
            {
                new(Lambda(score.Lambda)),
                new(Inv($"{score.MeanLoss:F4}")),
                new(Inv($"{score.LossStandardError:F4}")),
                new(Inv($"{score.MeanAccuracy:F4}")),
                new(Inv($"{score.AccuracyStandardError:F4}")),
                new(Inv($"{score.NonzeroWeights}/{score.WeightCount}")),
                new(string.Join(" ", picks)),
            };
            if (inputs)
            {
                cells.Add(new Text(Inv($"{score.SelectedInputs}/{result.Path.Points[k].Selection.InputCount}")));
            }

            table.AddRow(cells);
        }

        console.Write(table);
    }

    /// <summary><c>5-fold</c>, or <c>3 x 5-fold</c> with repeats.</summary>
    private static string FoldsText(TrainSettings s) => s.CvRepeats == 1 ? Inv($"{s.Folds}-fold") : Inv($"{s.CvRepeats} x {s.Folds}-fold");

    private static string Lambda(float lambda) => lambda.ToString("G3", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);

    private sealed class Reporter(Action<PathProgress> report) : IProgress<PathProgress>
    {
        public void Report(PathProgress value) => report(value);
    }
}
