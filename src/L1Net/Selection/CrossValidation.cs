using System.Diagnostics;
using L1Net.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L1Net.Selection;

/// <summary>
/// Chooses lambda by k-fold cross-validation over a <see cref="RegularizationPath"/>, as glmnet's <c>cv.glmnet</c> does:
/// the lambda sequence is set once on all the data (lambda_max searched there unless given), the whole path is trained on
/// each fold's training rows and scored on its held-out rows, the path is trained once more on all the data for the
/// sparsity of each lambda, and the chosen lambda is refitted on all the data (see <see cref="CrossValidationOptions.Refit"/>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Independent folds.</b> Every fold, the path on all the data and the refit start from the parameters the network
/// passed to <see cref="Run"/> holds at the call, never from another fold's models: a fold's result depends only on the
/// options, the data, its rows and the initial network, so running it alone gives exactly its result in the full run, and
/// the order folds run in changes nothing. The network passed in is left with those initial parameters.
/// </para>
/// <para>
/// <b>Parallel folds.</b> With <see cref="CrossValidationOptions.MaxDegreeOfParallelism"/> above 1 (and a
/// <see cref="DenseNetwork"/>, which is copied for each thread) the path on all the data and the folds run on several
/// threads; each writes only its own slot of the results, so they are bit-identical to a sequential run (when
/// <see cref="CrossValidationOptions.BudgetRefinement"/> refines the grid, the path on all the data runs first, on the
/// calling thread, and only the folds run in parallel). Progress reports
/// and log events then come from several threads, in no fixed order, and <see cref="CrossValidationOptions.Preprocessing"/>
/// is called from several threads at once.
/// </para>
/// <para>
/// Progress goes to the logger (fold starts, one event per trained lambda, the choice) and to the optional
/// <see cref="IProgress{T}"/>. With the same options, data and initial network the results are bit-identical.
/// </para>
/// </remarks>
public sealed class CrossValidation
{
    private readonly RegularizationPath _path;
    private readonly ILogger _logger;

    /// <summary>Creates a cross-validation.</summary>
    /// <param name="path">How the path is trained; validated here. Its <see cref="TrainerOptions.EarlyStopping"/> must be null (one validation set cannot serve every fold).</param>
    /// <param name="options">The folds and the measure; validated here.</param>
    /// <param name="logger">Receives progress events; default none.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the exception names it).</exception>
    public CrossValidation(RegularizationPathOptions path, CrossValidationOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _path = new RegularizationPath(path, _logger);
        if (path.Trainer.EarlyStopping is not null)
        {
            throw new ArgumentException("'Trainer.EarlyStopping' must be null for cross-validation: its single validation set would be shared by every fold.", nameof(path));
        }

        Options = options;
    }

    /// <summary>The fold settings.</summary>
    public CrossValidationOptions Options { get; }

    /// <summary>The path settings.</summary>
    public RegularizationPathOptions PathOptions => _path.Options;

    /// <summary>Cross-validates the path on <paramref name="data"/>.</summary>
    /// <param name="network">The initial network of every training; left with its parameters unchanged.</param>
    /// <param name="data">All the rows; at least <see cref="CrossValidationOptions.Folds"/>, labelled when stratified or when the measure is the misclassification error.</param>
    /// <param name="progress">Receives a report after every training (from several threads when folds run in parallel). <see cref="PathProgress.Fold"/> counts folds over all repeats: repeat <c>r</c> (0-based) holds folds <c>r * K + 1 .. (r + 1) * K</c>.</param>
    /// <param name="cancellationToken">Checked before and during every training.</param>
    /// <returns>Scores per lambda, the per-fold values, lambda.min, lambda.1se, the chosen lambda's refitted model and the path on all the data.</returns>
    /// <exception cref="ArgumentException">Too few rows for the folds, labels missing, shapes that do not match, or a loss that does not fit.</exception>
    /// <exception cref="InvalidOperationException">lambda_max had to be searched and the regularizer does not reach exact zeros, every lambda diverged, or <see cref="CrossValidationOptions.Preprocessing"/> returned null from <see cref="IPreprocessor.Fit"/>.</exception>
    /// <exception cref="InputBudgetException">No lambda's model uses at most <see cref="CrossValidationOptions.MaxInputs"/> inputs (an <see cref="InvalidOperationException"/>; its properties hold the budget and the fewest inputs any lambda's model uses).</exception>
    /// <exception cref="OperationCanceledException">The token was signalled.</exception>
    public CrossValidationResult Run(DenseNetwork network, Dataset data, IProgress<PathProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        CheckData(data);
        Dataset all = Transform(Fit(data), data); // the one preprocessing of all the rows: lambda_max search, path and model
        IReadOnlyList<float> lambdas = LambdasOf(network, all, progress, cancellationToken);
        int folds = Options.Folds * Options.Repeats;
        return RunChecked(network, data, all, lambdas, Enumerable.Range(0, folds).ToArray(), progress, cancellationToken);
    }

    /// <summary>The lambdas the run uses: the options' list, or the sequence from lambda_max (given, or searched on all the preprocessed data).</summary>
    internal IReadOnlyList<float> Lambdas(DenseNetwork network, Dataset data, IProgress<PathProgress>? progress, CancellationToken cancellationToken)
    {
        CheckData(data);
        return LambdasOf(network, Transform(Fit(data), data), progress, cancellationToken);
    }

    /// <summary><see cref="Lambdas"/> given all the rows already preprocessed.</summary>
    private IReadOnlyList<float> LambdasOf(DenseNetwork network, Dataset all, IProgress<PathProgress>? progress, CancellationToken cancellationToken)
    {
        RegularizationPathOptions p = _path.Options;
        return p.Lambdas ?? _path.LambdaSequence(p.LambdaMax ?? _path.FindLambdaMax(network, all, progress, cancellationToken));
    }

    /// <summary>
    /// The full run with the folds started in the order <paramref name="foldOrder"/> gives (a permutation of
    /// <c>0 .. Folds * Repeats - 1</c>); the results are stored by fold, so the order changes nothing (tests prove it).
    /// </summary>
    internal CrossValidationResult RunFolds(DenseNetwork network, Dataset data, IReadOnlyList<float> lambdas, IReadOnlyList<int> foldOrder, IProgress<PathProgress>? progress, CancellationToken cancellationToken)
    {
        CheckData(data);
        return RunChecked(network, data, Transform(Fit(data), data), lambdas, foldOrder, progress, cancellationToken);
    }

    /// <summary><see cref="RunFolds"/> on checked <paramref name="data"/>, given <paramref name="all"/>, all its rows preprocessed.</summary>
    private CrossValidationResult RunChecked(DenseNetwork network, Dataset data, Dataset all, IReadOnlyList<float> lambdas, IReadOnlyList<int> foldOrder, IProgress<PathProgress>? progress, CancellationToken cancellationToken)
    {
        CrossValidationOptions o = Options;
        int folds = o.Folds * o.Repeats;
        if (foldOrder.Count != folds || foldOrder.Distinct().Count() != folds || foldOrder.Any(f => f < 0 || f >= folds))
        {
            throw new ArgumentException(Guard.Text($"The fold order must be a permutation of 0..{folds - 1}."), nameof(foldOrder));
        }

        float[] initial = network.Parameters.ToArray();
        int[][] assignments = Enumerable.Range(0, o.Repeats).Select(r => DataSplit.KFold(data, o.Folds, o.Stratified, unchecked(o.Seed + r))).ToArray();
        var foldResults = new CrossValidationFold[folds];
        RegularizationPathResult? full = null;
        IReadOnlyList<float> inserted = [];

        // Task 0 is the path on all the data (already trained when the grid was refined); task t > 0 is fold
        // foldOrder[t - 1]. Each writes only its own slot.
        void RunTask(DenseNetwork worker, int task)
        {
            if (task == 0)
            {
                full ??= _path.Run(worker, all, lambdas, 0, folds, progress, cancellationToken);
            }
            else
            {
                int f = foldOrder[task - 1];
                foldResults[f] = RunFold(worker, data, lambdas, assignments[f / o.Folds], f, progress, cancellationToken);
            }
        }

        int threads = o.EffectiveDegreeOfParallelism;
        try
        {
            if (o.MaxInputs is int budget && o.BudgetRefinement > 0)
            {
                // Before the folds, so that every fold runs on the same, final grid.
                (full, lambdas, inserted) = RefineForBudget(network, all, lambdas, budget, o.BudgetRefinement, folds, progress, cancellationToken);
                initial.CopyTo(network.Parameters);
            }

            if (threads <= 1 || network is not DenseNetwork dense)
            {
                for (int task = 0; task <= folds; task++)
                {
                    initial.CopyTo(network.Parameters);
                    RunTask(network, task);
                }
            }
            else
            {
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
                try
                {
                    Parallel.For(0, folds + 1, parallel, () => dense.Clone(), (task, _, worker) =>
                    {
                        initial.CopyTo(worker.Parameters);
                        RunTask(worker, task);
                        return worker;
                    }, static _ => { });
                }
                catch (AggregateException e) when (e.InnerExceptions.Count > 0)
                {
                    // Report the first failure as it was thrown (argument problems, cancellation), not wrapped.
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                    throw;
                }
            }
        }
        finally
        {
            initial.CopyTo(network.Parameters);
        }

        LambdaScore[] scores = Scores(foldResults, o.Folds, full!, lambdas, static r => r.Losses, static r => r.Accuracies);
        LambdaScore[]? penalizedScores = o.Relax ? Scores(foldResults, o.Folds, full!, lambdas, static r => r.PenalizedLosses, static r => r.PenalizedAccuracies) : null;

        (int indexMin, int index1Se) = Choose(scores, o.Measure, o.MaxInputs);
        int chosen = o.Rule == LambdaRule.OneStandardError ? index1Se : indexMin;
        Log.CrossValidationCompleted(_logger, o.Measure.ToString(), scores[indexMin].Lambda, scores[indexMin].NonzeroWeights, scores[index1Se].Lambda, scores[index1Se].NonzeroWeights);

        PathPoint pathModel = full!.Points[chosen];
        PathPoint model = o.Relax
            ? RelaxedPoint(network, all, pathModel, cancellationToken)
            : o.Refit && pathModel.WarmStarted
            ? _path.TrainPoint(network, all, lambdas[chosen], cancellationToken)
            : pathModel; // a cold-started path point is exactly the refit: same initial network, rows and lambda.
        return new CrossValidationResult(o.Measure, scores, indexMin, index1Se, chosen, WithinBudget(model, pathModel, o.MaxInputs), full, foldResults, penalizedScores, o.MaxInputs, inserted);
    }

    /// <summary>
    /// <see cref="CrossValidationOptions.BudgetRefinement"/>: trains the path on all the rows (<paramref name="all"/>) on
    /// <paramref name="lambdas"/> and bisects, for at most <paramref name="rounds"/> rounds, the interval between the first
    /// lambda (from the largest) whose network uses more than <paramref name="budget"/> inputs and its larger neighbour when
    /// that one uses fewer. Returns the path on the refined grid, the refined grid (strictly decreasing) and the inserted
    /// lambdas in the order they were tried. <paramref name="network"/> is restored by every path run.
    /// </summary>
    internal (RegularizationPathResult Path, IReadOnlyList<float> Lambdas, IReadOnlyList<float> Inserted) RefineForBudget(DenseNetwork network, Dataset all, IReadOnlyList<float> lambdas, int budget, int rounds, int folds, IProgress<PathProgress>? progress, CancellationToken cancellationToken)
    {
        bool cold = _path.Options.Direction == PathDirection.ColdStarts;
        var grid = new List<float>(lambdas);
        var points = new List<PathPoint>(_path.Run(network, all, lambdas, 0, folds, progress, cancellationToken).Points);
        var inserted = new List<float>();
        for (int round = 1; round <= rounds; round++)
        {
            int over = points.FindIndex(p => p.Selection.Inputs.Count > budget);
            if (over <= 0 || points[over - 1].Selection.Inputs.Count >= budget)
            {
                break; // nothing over the budget, over it from the largest lambda on, or a point with exactly the budget before it
            }

            float upper = grid[over - 1], lower = grid[over];
            float mid = BudgetMidpoint(upper, lower);
            if (!(mid < upper && mid > lower))
            {
                break; // the interval is exhausted: no float lies strictly between its ends
            }

            grid.Insert(over, mid);
            inserted.Add(mid);
            if (cold)
            {
                // A cold-started point depends only on its lambda: train just the new one.
                points.Insert(over, _path.Run(network, all, [mid], 0, folds, progress, cancellationToken).Points[0]);
            }
            else
            {
                // A warm path's points depend on their neighbours: retrain it on the refined grid.
                points = [.. _path.Run(network, all, grid, 0, folds, progress, cancellationToken).Points];
            }

            Log.BudgetRefinementStep(_logger, budget, mid, upper, points[over - 1].Selection.Inputs.Count, lower, points[over + 1].Selection.Inputs.Count, points[over].Selection.Inputs.Count, round, rounds);
        }

        return (new RegularizationPathResult(points.ToArray()), grid.ToArray(), inserted.ToArray());
    }

    /// <summary>The lambda <see cref="RefineForBudget"/> inserts between <paramref name="upper"/> and <paramref name="lower"/> (<paramref name="upper"/> greater): their geometric mean, or half of <paramref name="upper"/> when <paramref name="lower"/> is 0.</summary>
    internal static float BudgetMidpoint(float upper, float lower) =>
        lower > 0f ? (float)Math.Sqrt((double)upper * lower) : upper / 2f;

    /// <summary>
    /// The model to return under an input budget: <paramref name="model"/>, unless it uses more than <paramref name="maxInputs"/>
    /// inputs, then the path's own model at the chosen lambda, <paramref name="pathPoint"/>, which the rule chose within the
    /// budget. Only a warm path's refit, a new training, can exceed the budget its path point met.
    /// </summary>
    internal static PathPoint WithinBudget(PathPoint model, PathPoint pathPoint, int? maxInputs) =>
        maxInputs is int budget && model.Selection.Inputs.Count > budget ? pathPoint : model;

    /// <summary>Mean and standard error (see <see cref="MeanAndStandardError"/>; <paramref name="folds"/> per repeat) over the folds of the chosen per-fold lists, with the path's sparsity, per lambda.</summary>
    private static LambdaScore[] Scores(CrossValidationFold[] foldResults, int folds, RegularizationPathResult full, IReadOnlyList<float> lambdas, Func<CrossValidationFold, IReadOnlyList<double>> losses, Func<CrossValidationFold, IReadOnlyList<double>> accuracies)
    {
        int n = lambdas.Count;
        var scores = new LambdaScore[n];
        for (int k = 0; k < n; k++)
        {
            (double meanLoss, double seLoss) = MeanAndStandardError(foldResults.Select(r => losses(r)[k]).ToArray(), folds);
            (double meanAccuracy, double seAccuracy) = MeanAndStandardError(foldResults.Select(r => accuracies(r)[k]).ToArray(), folds);
            scores[k] = new LambdaScore
            {
                Lambda = lambdas[k],
                MeanLoss = meanLoss,
                LossStandardError = seLoss,
                MeanAccuracy = meanAccuracy,
                AccuracyStandardError = seAccuracy,
                NonzeroWeights = full!.Points[k].NonzeroWeights,
                MeanFoldNonzeroWeights = foldResults.Average(r => (double)r.NonzeroWeights[k]),
                WeightCount = full.Points[k].WeightCount,
                SelectedInputs = full.Points[k].Selection.Inputs.Count,
                SelectedUnits = full.Points[k].Selection.UnitCount,
            };
        }

        return scores;
    }

    /// <summary>The relaxed fit (see <see cref="RelaxedFit"/>) on <paramref name="data"/> of the inputs <paramref name="point"/> selects, from <paramref name="network"/>'s parameters; the network is restored.</summary>
    private PathPoint RelaxedPoint(DenseNetwork network, Dataset data, PathPoint point, CancellationToken cancellationToken) =>
        RegularizationPath.ColdPoint(network, point.Lambda, () => RelaxedFit.Train(network, data, point.Selection.Inputs, _path.Options.Trainer, cancellationToken));

    /// <summary>Trains the path on fold <paramref name="fold"/>'s training rows from <paramref name="network"/>'s parameters and scores it on the fold's held-out rows; the network is restored.</summary>
    internal CrossValidationFold RunFold(DenseNetwork network, Dataset data, IReadOnlyList<float> lambdas, int[] assignment, int fold, IProgress<PathProgress>? progress, CancellationToken cancellationToken)
    {
        int k = fold % Options.Folds;
        int folds = Options.Folds * Options.Repeats;
        int[] trainRows = Enumerable.Range(0, data.Count).Where(r => assignment[r] != k).ToArray();
        int[] validationRows = Enumerable.Range(0, data.Count).Where(r => assignment[r] == k).ToArray();
        Dataset train = data.Subset(trainRows);
        IPreprocessor? fitted = Fit(train); // fitted once, on the fold's training rows only
        Dataset validation = Transform(fitted, data.Subset(validationRows));
        train = Transform(fitted, train);
        Log.CrossValidationFoldStarted(_logger, fold + 1, folds, trainRows.Length, validationRows.Length);
        using Activity? foldActivity = TrainingTelemetry.StartFold(fold + 1, folds, trainRows.Length, validationRows.Length);

        float[] initial = network.Parameters.ToArray();
        RegularizationPathResult path;
        try
        {
            path = _path.Run(network, train, lambdas, fold + 1, folds, progress, cancellationToken);
        }
        catch (Exception e)
        {
            TrainingTelemetry.Fail(foldActivity, e);
            throw;
        }

        int n = lambdas.Count;
        var losses = new double[n];
        var accuracies = new double[n];
        var nonzeros = new int[n];
        double[]? relaxedLosses = Options.Relax ? new double[n] : null;
        double[]? relaxedAccuracies = Options.Relax ? new double[n] : null;
        try
        {
            for (int i = 0; i < n; i++)
            {
                PathPoint point = path.Points[i];
                point.CopyTo(network);
                (losses[i], accuracies[i]) = Score(network, validation);
                nonzeros[i] = point.NonzeroWeights;
            }

            if (Options.Relax)
            {
                // One relaxed fit per distinct input set: lambdas that select the same inputs share it.
                var fits = new Dictionary<string, (double Loss, double Accuracy)>();
                for (int i = 0; i < n; i++)
                {
                    IReadOnlyList<int> inputs = path.Points[i].Selection.Inputs;
                    string key = RelaxedFit.Key(inputs);
                    if (!fits.TryGetValue(key, out (double Loss, double Accuracy) fit))
                    {
                        initial.CopyTo(network.Parameters);
                        RelaxedFit.Train(network, train, inputs, _path.Options.Trainer, cancellationToken);
                        fit = Score(network, validation);
                        fits.Add(key, fit);
                    }

                    (relaxedLosses![i], relaxedAccuracies![i]) = fit;
                }
            }
        }
        finally
        {
            initial.CopyTo(network.Parameters);
        }

        return Options.Relax
            ? new CrossValidationFold(fold / Options.Folds, k, validationRows, relaxedLosses!, relaxedAccuracies!, nonzeros, losses, accuracies)
            : new CrossValidationFold(fold / Options.Folds, k, validationRows, losses, accuracies, nonzeros);
    }

    private (double Loss, double Accuracy) Score(INetwork network, Dataset validation) =>
        (Metrics.MeanLoss(network, validation, _path.Options.Trainer.Loss), validation.HasLabels ? Metrics.Accuracy(network, validation) : double.NaN);

    /// <summary>
    /// lambda.min (first best, i.e. the largest lambda among ties) and lambda.1se (largest lambda within one standard error of
    /// it), both among the lambdas whose <see cref="LambdaScore.SelectedInputs"/> is at most <paramref name="maxInputs"/> when given.
    /// </summary>
    internal static (int IndexMin, int Index1Se) Choose(IReadOnlyList<LambdaScore> scores, CrossValidationMeasure measure, int? maxInputs = null)
    {
        double Mean(LambdaScore s) => measure == CrossValidationMeasure.Loss ? s.MeanLoss : 1 - s.MeanAccuracy;
        double Se(LambdaScore s) => measure == CrossValidationMeasure.Loss ? s.LossStandardError : s.AccuracyStandardError;
        bool InBudget(LambdaScore s) => maxInputs is not int budget || s.SelectedInputs <= budget;

        if (maxInputs is int max && !scores.Any(InBudget))
        {
            throw new InputBudgetException(max, scores.Min(s => s.SelectedInputs));
        }

        int min = -1;
        for (int k = 0; k < scores.Count; k++)
        {
            if (InBudget(scores[k]) && !double.IsNaN(Mean(scores[k])) && (min < 0 || Mean(scores[k]) < Mean(scores[min])))
            {
                min = k;
            }
        }

        if (min < 0)
        {
            throw new InvalidOperationException(maxInputs is null
                ? "Every lambda has a NaN cross-validation score (every training diverged?)."
                : $"Every lambda within the '{nameof(CrossValidationOptions.MaxInputs)}' budget has a NaN cross-validation score (every training diverged?).");
        }

        double limit = Mean(scores[min]) + Se(scores[min]);
        int oneSe = min;
        for (int k = 0; k < min; k++)
        {
            if (InBudget(scores[k]) && Mean(scores[k]) <= limit)
            {
                oneSe = k;
                break;
            }
        }

        return (min, oneSe);
    }

    /// <summary>
    /// The mean of the fold values and its standard error for the 1se rule, given <paramref name="values"/> repeat by repeat,
    /// <paramref name="folds"/> values per repeat.
    /// </summary>
    /// <remarks>
    /// The standard error is <c>s / sqrt(K)</c>, glmnet's <c>cvsd</c> for one repeat: <c>s^2</c> is the variance of the fold
    /// values about their own repeat's mean, pooled over the repeats (<c>R (K - 1)</c> degrees of freedom), and <c>K</c> the
    /// folds of one repeat. It estimates the sampling error of one k-fold estimate on these rows, which repeating the split
    /// over the same rows does not reduce: the repeats re-use every row, so <c>R K</c> fold values are not <c>R K</c>
    /// independent samples, and <c>s / sqrt(R K)</c> would make lambda.1se slide toward lambda.min as repeats are added.
    /// Repeats steady the mean (the variance the random fold assignment adds to it falls as <c>1 / R</c>) and the estimate of
    /// <c>s</c>; they leave the rule's meaning unchanged. With one repeat this is the plain <c>sd / sqrt(K)</c>.
    /// </remarks>
    internal static (double Mean, double StandardError) MeanAndStandardError(IReadOnlyList<double> values, int folds)
    {
        int repeats = values.Count / folds;
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        double mean = sum / values.Count;
        double squares = 0;
        for (int r = 0; r < repeats; r++)
        {
            double repeatSum = 0;
            for (int f = 0; f < folds; f++)
            {
                repeatSum += values[(r * folds) + f];
            }

            double repeatMean = repeatSum / folds;
            for (int f = 0; f < folds; f++)
            {
                double d = values[(r * folds) + f] - repeatMean;
                squares += d * d;
            }
        }

        return (mean, Math.Sqrt(squares / (repeats * (folds - 1)) / folds));
    }

    private void CheckData(Dataset data)
    {
        CrossValidationOptions o = Options;
        if (o.Measure == CrossValidationMeasure.MisclassificationError && !data.HasLabels)
        {
            throw new ArgumentException("The misclassification error needs a dataset with class labels.", nameof(data));
        }

        if (o.Folds > data.Count)
        {
            throw new ArgumentException(Guard.Text($"{o.Folds} folds need at least {o.Folds} rows, but the data has {data.Count}."), nameof(data));
        }
    }

    /// <summary>The preprocessing fitted on <paramref name="fitRows"/>; null when there is none.</summary>
    private IPreprocessor? Fit(Dataset fitRows) =>
        Options.Preprocessing is null
            ? null
            : Options.Preprocessing.Fit(fitRows) ?? throw new InvalidOperationException(Guard.Text($"'{nameof(CrossValidationOptions.Preprocessing)}'.Fit returned null."));

    private static Dataset Transform(IPreprocessor? fitted, Dataset rows) => fitted is null ? rows : fitted.Transform(rows);
}
