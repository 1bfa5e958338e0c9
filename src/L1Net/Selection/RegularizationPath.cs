using System.Diagnostics;
using L1Net.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L1Net.Selection;

/// <summary>
/// Trains a network for a decreasing sequence of regularization strengths: the regularization path, from lambda_max, where
/// every weight is zero, down to a nearly unregularized network. Each lambda starts from the initial network (the default)
/// or from its neighbour's solution, as <see cref="RegularizationPathOptions.Direction"/> says.
/// </summary>
/// <remarks>
/// <para>
/// <b>lambda_max for a network.</b> For a linear model glmnet takes lambda_max = max |dJ_data/dw| at w = 0, the smallest
/// lambda for which w = 0 is optimal. For a network that definition degenerates: with every weight zero the hidden units
/// are constant, so by symmetry the data gradient of every weight is zero there and w = 0 is a stationary point for any
/// lambda. L1Net therefore defines lambda_max operationally, as the smallest lambda whose training (with
/// <see cref="RegularizationPathOptions.Trainer"/>, from the given initial network) ends with every weight exactly zero.
/// <see cref="FindLambdaMax"/> finds it by bisection on a log scale, starting from the largest |dJ_data/dw| at the initial
/// network, doubling or halving until the bracket is found, then halving the bracket until it is within
/// <see cref="RegularizationPathOptions.LambdaMaxTolerance"/>. Each probe is one full training.
/// </para>
/// <para>
/// The network passed in supplies the shape and the initial parameters; it is restored to them before any method returns
/// (or throws). Trainings inside the path log nothing themselves; the path logs one event per lambda, and reports the same
/// through the optional <see cref="IProgress{T}"/>. The same options, data and initial network give bit-identical results.
/// </para>
/// </remarks>
public sealed class RegularizationPath
{
    private const int MaxBracketSteps = 30;
    private readonly ILogger _logger;

    /// <summary>Creates a path.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="logger">Receives one event per lambda and the lambda_max found; default none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the exception names it).</exception>
    public RegularizationPath(RegularizationPathOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The settings.</summary>
    public RegularizationPathOptions Options { get; }

    /// <summary>
    /// The path's lambdas for a given lambda_max: <see cref="RegularizationPathOptions.LambdaCount"/> values from
    /// <paramref name="lambdaMax"/> down to <c>LambdaMinRatio * lambdaMax</c>, evenly spaced on a log scale
    /// (<see cref="RegularizationPathOptions.Lambdas"/> instead, when set).
    /// </summary>
    /// <param name="lambdaMax">The largest lambda, finite and greater than 0.</param>
    /// <returns>The lambdas, strictly decreasing.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambdaMax"/> is not finite or not positive.</exception>
    public IReadOnlyList<float> LambdaSequence(float lambdaMax)
    {
        Guard.Positive(lambdaMax);
        if (Options.Lambdas is not null)
        {
            return Options.Lambdas.ToArray();
        }

        int n = Options.LambdaCount;
        var lambdas = new float[n];
        for (int k = 0; k < n; k++)
        {
            lambdas[k] = n == 1 ? lambdaMax : (float)(lambdaMax * Math.Pow(Options.LambdaMinRatio, (double)k / (n - 1)));
        }

        return lambdas;
    }

    /// <summary>
    /// Finds lambda_max: the smallest lambda (to within <see cref="RegularizationPathOptions.LambdaMaxTolerance"/>) whose
    /// training from <paramref name="network"/>'s parameters ends with every weight exactly zero. See the remarks of
    /// <see cref="RegularizationPath"/> for why the linear-model definition does not apply to networks.
    /// </summary>
    /// <param name="network">The initial network; restored before the method returns.</param>
    /// <param name="data">The training rows.</param>
    /// <param name="progress">Receives a report after every probe training.</param>
    /// <param name="cancellationToken">Checked before and during every training.</param>
    /// <returns>The smallest lambda tried that zeroes every weight.</returns>
    /// <exception cref="ArgumentException">Shapes do not match, or the loss does not fit the network or the targets.</exception>
    /// <exception cref="InvalidOperationException">No lambda up to 2^30 times the start zeroes every weight: the regularizer does not reach exact zeros.</exception>
    /// <exception cref="OperationCanceledException">The token was signalled.</exception>
    public float FindLambdaMax(DenseNetwork network, Dataset data, IProgress<PathProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        float[] initial = network.Parameters.ToArray();
        var gradient = new float[network.ParameterCount];
        new BackPropTrainer(Options.Trainer, Regularizer.None).ComputeGradient(network, data, gradient);
        float start = 0f;
        foreach (LayerInfo layer in network.Layers)
        {
            foreach (float g in gradient.AsSpan(layer.WeightOffset, layer.WeightCount))
            {
                start = MathF.Max(start, MathF.Abs(g));
            }
        }

        if (!(start > 0f) || !float.IsFinite(start))
        {
            start = 1f;
        }

        bool[] penalized = PenalizedLayers(network);
        int trainings = 0;
        try
        {
            float lo, hi;
            if (ZeroesAll(start))
            {
                hi = start;
                lo = start / 2f;
                for (int i = 0; ZeroesAll(lo); i++)
                {
                    hi = lo;
                    lo /= 2f;
                    if (i == MaxBracketSteps)
                    {
                        Log.LambdaMaxFound(_logger, hi, trainings, start);
                        return hi;
                    }
                }
            }
            else
            {
                lo = start;
                hi = start * 2f;
                for (int i = 0; !ZeroesAll(hi); i++)
                {
                    lo = hi;
                    hi *= 2f;
                    if (i == MaxBracketSteps || !float.IsFinite(hi))
                    {
                        throw new InvalidOperationException(Guard.Text($"No lambda up to {lo} makes {Options.CreateRegularizer(lo).Name} zero every weight; it may not reach exact zeros. Set RegularizationPathOptions.LambdaMax or Lambdas."));
                    }
                }
            }

            while (hi / lo > 1f + Options.LambdaMaxTolerance)
            {
                float mid = MathF.Sqrt(lo * hi);
                if (ZeroesAll(mid))
                {
                    hi = mid;
                }
                else
                {
                    lo = mid;
                }
            }

            Log.LambdaMaxFound(_logger, hi, trainings, start);
            return hi;
        }
        finally
        {
            initial.CopyTo(network.Parameters);
        }

        bool ZeroesAll(float lambda)
        {
            initial.CopyTo(network.Parameters);
            TrainingResult result = Train(network, data, lambda, cancellationToken);
            int nonzero = CountNonzeroWeights(network, penalized);
            Log.LambdaMaxSearchStep(_logger, lambda, nonzero);
            trainings++; // counted with or without a progress report (inside the null-conditional call it was not)

            // Final's loss (a forward pass over the rows, deferred by Train) is read only for a report: `?.` skips the arguments.
            progress?.Report(new PathProgress
            {
                Stage = PathStage.LambdaMaxSearch,
                Index = trainings - 1,
                Lambda = lambda,
                Loss = result.Final.Loss,
                NonzeroWeights = nonzero,
                WeightCount = CountWeights(network),
            });
            return nonzero == 0;
        }
    }

    /// <summary>
    /// Runs the path on <paramref name="data"/>: finds lambda_max unless the options give it (or the lambdas), then trains
    /// at every lambda, starting each as <see cref="RegularizationPathOptions.Direction"/> says.
    /// </summary>
    /// <param name="network">The initial network; restored before the method returns.</param>
    /// <param name="data">The training rows.</param>
    /// <param name="progress">Receives a report after every training (the lambda_max search's too).</param>
    /// <param name="cancellationToken">Checked before and during every training.</param>
    /// <returns>One point per lambda.</returns>
    /// <exception cref="ArgumentException">Shapes do not match, or the loss does not fit the network or the targets.</exception>
    /// <exception cref="InvalidOperationException">lambda_max had to be searched and the regularizer does not reach exact zeros.</exception>
    /// <exception cref="OperationCanceledException">The token was signalled.</exception>
    public RegularizationPathResult Run(DenseNetwork network, Dataset data, IProgress<PathProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        IReadOnlyList<float> lambdas = Options.Lambdas ?? LambdaSequence(Options.LambdaMax ?? FindLambdaMax(network, data, progress, cancellationToken));
        return Run(network, data, lambdas, 0, 0, progress, cancellationToken);
    }

    /// <summary>Trains at every lambda of <paramref name="lambdas"/> (strictly decreasing) in the order <see cref="RegularizationPathOptions.Direction"/> says; the points come back largest lambda first.</summary>
    internal RegularizationPathResult Run(DenseNetwork network, Dataset data, IReadOnlyList<float> lambdas, int fold, int folds, IProgress<PathProgress>? progress, CancellationToken cancellationToken)
    {
        float[] initial = network.Parameters.ToArray();
        int weightCount = CountWeights(network);
        int n = lambdas.Count;
        var points = new PathPoint[n];
        bool upward = Options.Direction == PathDirection.WarmUpward;
        try
        {
            for (int step = 0; step < n; step++)
            {
                int k = upward ? n - 1 - step : step;
                PathPoint? previous = step == 0 || Options.Direction == PathDirection.ColdStarts ? null : points[upward ? k + 1 : k - 1];
                bool warm = previous is not null && previous.NonzeroWeights > 0;
                if (warm)
                {
                    previous!.CopyTo(network);
                }
                else
                {
                    initial.CopyTo(network.Parameters);
                }

                using Activity? pointActivity = TrainingTelemetry.StartPathPoint(fold, k, lambdas.Count, lambdas[k], warm);
                TrainingResult result;
                try
                {
                    result = Train(network, data, lambdas[k], cancellationToken);
                }
                catch (Exception e)
                {
                    TrainingTelemetry.Fail(pointActivity, e);
                    throw;
                }

                int nonzero = CountNonzeroWeights(network);
                points[k] = new PathPoint(lambdas[k], network.Parameters.ToArray(), nonzero, weightCount, warm, result, NetworkPruner.Analyze(network));

                // Final's loss is a forward pass over the training rows that Train defers to the first read (then cached).
                // It is read when something reports it, and for the path on all the rows (fold 0), whose points outlive
                // the call: unread, a point would keep Train's parameter snapshot and the training rows alive. A fold's
                // path is scored on its validation rows and dropped, so with nothing listening it skips that pass.
                bool reported = progress is not null || _logger.IsEnabled(LogLevel.Information) || pointActivity is { IsAllDataRequested: true };
                if (!reported && fold > 0)
                {
                    continue;
                }

                double loss = result.Final.Loss;
                TrainingTelemetry.StopPathPoint(pointActivity, nonzero, loss);
                Log.PathPointCompleted(_logger, fold, folds, k + 1, n, lambdas[k], warm ? "warm" : "cold", loss, nonzero, weightCount);
                progress?.Report(new PathProgress
                {
                    Stage = PathStage.Path,
                    Fold = fold,
                    Folds = folds,
                    Index = k,
                    Count = n,
                    Lambda = lambdas[k],
                    Loss = loss,
                    NonzeroWeights = nonzero,
                    WeightCount = weightCount,
                });
            }
        }
        finally
        {
            initial.CopyTo(network.Parameters);
        }

        return new RegularizationPathResult(points);
    }

    /// <summary>Trains one network at <paramref name="lambda"/> from <paramref name="network"/>'s parameters (a cold start) and returns it as a path point; the network is restored.</summary>
    internal PathPoint TrainPoint(DenseNetwork network, Dataset data, float lambda, CancellationToken cancellationToken) =>
        ColdPoint(network, lambda, () => Train(network, data, lambda, cancellationToken));

    /// <summary>
    /// Runs <paramref name="train"/> (a training of <paramref name="network"/> from its parameters) and returns the trained
    /// network as a cold-started path point at <paramref name="lambda"/>; the network is restored. The training's
    /// <see cref="TrainingResult.Final"/> is evaluated here: a point outlives the call (as a cross-validation's model), and
    /// a deferred <c>Final</c> would keep a copy of the parameters and the training rows (for a relaxed refit, a masked
    /// copy of every feature) alive for as long as the point lives.
    /// </summary>
    internal static PathPoint ColdPoint(DenseNetwork network, float lambda, Func<TrainingResult> train)
    {
        float[] initial = network.Parameters.ToArray();
        try
        {
            TrainingResult result = train();
            _ = result.Final; // releases the deferred evaluation's snapshot and its reference to the data
            return new PathPoint(lambda, network.Parameters.ToArray(), CountNonzeroWeights(network), CountWeights(network), false, result, NetworkPruner.Analyze(network));
        }
        finally
        {
            initial.CopyTo(network.Parameters);
        }
    }

    /// <summary>Trains <paramref name="network"/> on <paramref name="data"/> with <paramref name="regularizer"/>; a cancelled training throws.</summary>
    internal static TrainingResult TrainToEnd(TrainerOptions trainer, IRegularizer regularizer, DenseNetwork network, Dataset data, CancellationToken cancellationToken)
    {
        TrainingResult result = new BackPropTrainer(trainer, regularizer).Train(network, data, null, cancellationToken);
        if (result.StopReason == TrainingStopReason.Cancelled)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return result;
    }

    internal static int CountWeights(INetwork network) => network.Layers.Sum(l => l.WeightCount);

    /// <summary>
    /// Which layers' weights the path's regularizer penalizes: those where its penalty of a matrix of ones is positive. A
    /// group penalty over the inputs, for example, leaves the later layers alone, and lambda_max is then the smallest lambda
    /// that zeroes the first layer (the network no longer depends on its inputs), as for L1 it is the one that zeroes every
    /// weight.
    /// </summary>
    private bool[] PenalizedLayers(DenseNetwork network)
    {
        IRegularizer regularizer = Options.CreateRegularizer(1f)
            ?? throw new InvalidOperationException(Guard.Text($"'{nameof(RegularizationPathOptions.CreateRegularizer)}' returned null for lambda 1."));
        var penalized = new bool[network.Layers.Count];
        for (int l = 0; l < penalized.Length; l++)
        {
            LayerInfo layer = network.Layers[l];
            var ones = new float[layer.WeightCount];
            Array.Fill(ones, 1f);
            penalized[l] = regularizer.Penalty(ones, ParameterShape.ForWeights(l, layer.InputSize, layer.OutputSize)) > 0d;
        }

        // A regularizer that penalizes nothing (None): count every weight, as before.
        if (!penalized.Contains(true))
        {
            Array.Fill(penalized, true);
        }

        return penalized;
    }

    internal static int CountNonzeroWeights(INetwork network, bool[]? layers = null)
    {
        int nonzero = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            if (layers is not null && !layers[l])
            {
                continue;
            }

            ReadOnlySpan<float> w = network.GetWeights(l);
            nonzero += w.Length - w.Count(0f);
        }

        return nonzero;
    }

    private TrainingResult Train(DenseNetwork network, Dataset data, float lambda, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IRegularizer regularizer = Options.CreateRegularizer(lambda)
            ?? throw new InvalidOperationException(Guard.Text($"'{nameof(RegularizationPathOptions.CreateRegularizer)}' returned null for lambda {lambda}."));
        return TrainToEnd(Options.Trainer, regularizer, network, data, cancellationToken);
    }
}
