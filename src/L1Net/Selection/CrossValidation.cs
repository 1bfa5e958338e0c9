using L1Net.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L1Net;

/// <summary>
/// Chooses lambda by k-fold cross-validation over a <see cref="RegularizationPath"/>, as glmnet's <c>cv.glmnet</c> does:
/// the lambda sequence is set once on all the data (lambda_max searched there unless given), the whole path is trained on
/// each fold's training rows with warm starts and scored on its held-out rows, and the path is trained once more on all
/// the data for the sparsity of each lambda and the final models.
/// </summary>
/// <remarks>
/// The network passed in supplies the shape and the initial parameters of every training, and is restored before
/// <see cref="Run"/> returns. Progress goes to the logger (fold starts, one event per trained lambda, the choice) and to the
/// optional <see cref="IProgress{T}"/>. With the same options, data and initial network the results are bit-identical.
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
    /// <param name="network">The initial network; restored before the method returns.</param>
    /// <param name="data">All the rows; at least <see cref="CrossValidationOptions.Folds"/>, labelled when stratified or when the measure is the misclassification error.</param>
    /// <param name="progress">Receives a report after every training.</param>
    /// <param name="cancellationToken">Checked before and during every training.</param>
    /// <returns>Scores per lambda, lambda.min, lambda.1se and the path on all the data.</returns>
    /// <exception cref="ArgumentException">Too few rows for the folds, labels missing, shapes that do not match, or a loss that does not fit.</exception>
    /// <exception cref="InvalidOperationException">lambda_max had to be searched and the regularizer does not reach exact zeros, or <see cref="CrossValidationOptions.Preprocessing"/> returned null from <see cref="IPreprocessor.Fit"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was signalled.</exception>
    public CrossValidationResult Run(INetwork network, Dataset data, IProgress<PathProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        CrossValidationOptions o = Options;
        if (o.Measure == CrossValidationMeasure.MisclassificationError && !data.HasLabels)
        {
            throw new ArgumentException("The misclassification error needs a dataset with class labels.", nameof(data));
        }

        if (o.Folds > data.Count)
        {
            throw new ArgumentException($"{o.Folds} folds need at least {o.Folds} rows, but the data has {data.Count}.", nameof(data));
        }

        int[] assignment = DataSplit.KFold(data, o.Folds, o.Stratified, o.Seed);
        Dataset all = Prepare(data, data);
        RegularizationPathOptions p = _path.Options;
        IReadOnlyList<float> lambdas = p.Lambdas ?? _path.LambdaSequence(p.LambdaMax ?? _path.FindLambdaMax(network, all, progress, cancellationToken));
        RegularizationPathResult full = _path.Run(network, all, lambdas, 0, o.Folds, progress, cancellationToken);

        int n = lambdas.Count;
        var losses = new double[o.Folds, n];
        var accuracies = new double[o.Folds, n];
        var nonzeros = new double[o.Folds, n];
        float[] initial = network.Parameters.ToArray();
        try
        {
            for (int f = 0; f < o.Folds; f++)
            {
                int[] trainRows = Enumerable.Range(0, data.Count).Where(r => assignment[r] != f).ToArray();
                int[] validationRows = Enumerable.Range(0, data.Count).Where(r => assignment[r] == f).ToArray();
                Dataset train = data.Subset(trainRows);
                Dataset validation = Prepare(train, data.Subset(validationRows));
                train = Prepare(train, train);
                Log.CrossValidationFoldStarted(_logger, f + 1, o.Folds, trainRows.Length, validationRows.Length);

                RegularizationPathResult foldPath = _path.Run(network, train, lambdas, f + 1, o.Folds, progress, cancellationToken);
                for (int k = 0; k < n; k++)
                {
                    PathPoint point = foldPath.Points[k];
                    point.CopyTo(network);
                    losses[f, k] = Metrics.MeanLoss(network, validation, p.Trainer.Loss);
                    accuracies[f, k] = validation.HasLabels ? Metrics.Accuracy(network, validation) : double.NaN;
                    nonzeros[f, k] = point.NonzeroWeights;
                }
            }
        }
        finally
        {
            initial.CopyTo(network.Parameters);
        }

        var scores = new LambdaScore[n];
        for (int k = 0; k < n; k++)
        {
            (double meanLoss, double seLoss) = MeanAndStandardError(losses, k);
            (double meanAccuracy, double seAccuracy) = MeanAndStandardError(accuracies, k);
            scores[k] = new LambdaScore
            {
                Lambda = lambdas[k],
                MeanLoss = meanLoss,
                LossStandardError = seLoss,
                MeanAccuracy = meanAccuracy,
                AccuracyStandardError = seAccuracy,
                NonzeroWeights = full.Points[k].NonzeroWeights,
                MeanFoldNonzeroWeights = MeanAndStandardError(nonzeros, k).Mean,
                WeightCount = full.Points[k].WeightCount,
            };
        }

        (int indexMin, int index1Se) = Choose(scores, o.Measure);
        Log.CrossValidationCompleted(_logger, o.Measure.ToString(), scores[indexMin].Lambda, scores[indexMin].NonzeroWeights, scores[index1Se].Lambda, scores[index1Se].NonzeroWeights);
        return new CrossValidationResult(o.Measure, scores, indexMin, index1Se, full);
    }

    /// <summary>lambda.min (first best, i.e. the largest lambda among ties) and lambda.1se (largest lambda within one standard error of it).</summary>
    internal static (int IndexMin, int Index1Se) Choose(IReadOnlyList<LambdaScore> scores, CrossValidationMeasure measure)
    {
        double Mean(LambdaScore s) => measure == CrossValidationMeasure.Loss ? s.MeanLoss : 1 - s.MeanAccuracy;
        double Se(LambdaScore s) => measure == CrossValidationMeasure.Loss ? s.LossStandardError : s.AccuracyStandardError;

        int min = -1;
        for (int k = 0; k < scores.Count; k++)
        {
            if (!double.IsNaN(Mean(scores[k])) && (min < 0 || Mean(scores[k]) < Mean(scores[min])))
            {
                min = k;
            }
        }

        if (min < 0)
        {
            throw new InvalidOperationException("Every lambda has a NaN cross-validation score (every training diverged?).");
        }

        double limit = Mean(scores[min]) + Se(scores[min]);
        int oneSe = min;
        for (int k = 0; k < min; k++)
        {
            if (Mean(scores[k]) <= limit)
            {
                oneSe = k;
                break;
            }
        }

        return (min, oneSe);
    }

    private static (double Mean, double StandardError) MeanAndStandardError(double[,] values, int column)
    {
        int folds = values.GetLength(0);
        double sum = 0;
        for (int f = 0; f < folds; f++)
        {
            sum += values[f, column];
        }

        double mean = sum / folds;
        double squares = 0;
        for (int f = 0; f < folds; f++)
        {
            double d = values[f, column] - mean;
            squares += d * d;
        }

        return (mean, Math.Sqrt(squares / (folds - 1) / folds));
    }

    private Dataset Prepare(Dataset fitRows, Dataset rows) =>
        Options.Preprocessing is null
            ? rows
            : (Options.Preprocessing.Fit(fitRows) ?? throw new InvalidOperationException($"'{nameof(CrossValidationOptions.Preprocessing)}'.Fit returned null.")).Transform(rows);
}
