using System.Diagnostics;
using L1Net.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace L1Net.Training;

/// <summary>
/// Trains an <see cref="INetwork"/> by back-propagation, with the optimizer (<see cref="TrainerOptions.Optimizer"/>: SGD,
/// momentum, Adam, AdamW, or your own) and the regularizer as pluggable strategies.
/// </summary>
/// <remarks>
/// <para>
/// The objective is <c>J = 1/N sum_n E(o_n, t_n) + sum_l R_l(W_l)</c>. A step computes the data gradient averaged over the
/// batch, with the parameters from before the step, then updates each layer: the regularizer's smooth gradient is added,
/// the optimizer moves the parameters, and the regularizer's proximal step (if any) runs with the optimizer's step sizes.
/// Per-sample SGD (<c>BatchSize = 1</c>, the default optimizer) is the classic algorithm.
/// </para>
/// <para>
/// A trainer holds no per-call state and may be reused; one training call must not run on the same network at the same
/// time as any other use of that network. A call that throws leaves the network exactly as it was before the call.
/// </para>
/// </remarks>
public sealed class BackPropTrainer
{
    private readonly IRegularizer[]? _layerRegularizers;
    private readonly ILogger _logger;

    /// <summary>Creates a trainer.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="regularizer">The regularization strategy for every layer; default <see cref="L1Net.Regularization.Regularizer.None"/>.</param>
    /// <param name="logger">Receives progress messages; default none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the exception names it).</exception>
    public BackPropTrainer(TrainerOptions options, IRegularizer? regularizer = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Regularizer = regularizer ?? L1Net.Regularization.Regularizer.None;
        _layerRegularizers = options.LayerRegularizers?.ToArray();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The settings.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The regularizer used for every layer not overridden by <see cref="TrainerOptions.LayerRegularizers"/>.</summary>
    public IRegularizer Regularizer { get; }

    /// <summary>Trains <paramref name="network"/> on <paramref name="data"/>.</summary>
    /// <param name="network">The network, changed in place. Its parameters must be finite.</param>
    /// <param name="data">Training data whose feature and target counts match the network.</param>
    /// <param name="progress">Receives a report every <see cref="TrainerOptions.ProgressInterval"/> epochs (default <see cref="TrainerOptions.ReportInterval"/>) and after the last one; called synchronously on the training thread, between steps (predicting with or saving the network from it is safe).</param>
    /// <param name="cancellationToken">Checked before every step; when signalled, training stops after the step in progress, the network keeps the parameters of the last completed step, and the result says how far training got (unless those parameters or their loss are not finite: then the run is reported and rolled back as diverged).</param>
    /// <returns>How training ended (<see cref="TrainingStopReason"/>, with epoch and step), and the final loss and accuracy on the training data (for a completed run computed on the first read of <see cref="TrainingResult.Final"/>).</returns>
    /// <remarks>
    /// <para>
    /// Divergence: when the loss of a step, a parameter after an epoch (or when cancelled), or an evaluated loss is NaN or
    /// infinite, training stops, the network is restored to the parameters it had at the start of that epoch (the last
    /// ones known to be finite), a warning is logged, and the result's <see cref="TrainingResult.StopReason"/> is
    /// <see cref="TrainingStopReason.Diverged"/>. When that state itself has a non-finite loss on the training data (huge
    /// but finite weights can overflow in the forward pass), the network is restored to the parameters it had before the
    /// call instead and <see cref="TrainingResult.RestoredOriginal"/> is set. No exception is thrown.
    /// </para>
    /// <para>
    /// Whatever the outcome (completed, cancelled, early-stopped or diverged) the network returned holds finite parameters
    /// with a finite loss on every training row (unless the caller's own network did not have one).
    /// </para>
    /// <para>
    /// The end of a completed run costs no pass over the data: <see cref="TrainingResult.Final"/>'s loss and accuracy are
    /// computed when it is first read, from a copy of the final parameters (or taken from the last epoch's report when a
    /// logger at <see cref="LogLevel.Information"/>, a listener on the training loss or nonzero-weights metric, or
    /// <paramref name="progress"/> already evaluated it). That the final
    /// loss is finite on every row is still established here, before returning: by an interval bound through the layers
    /// (O(parameters): the data's largest |x| per feature, |W| row sums and |b|, the activations' ranges, the loss's
    /// clamping), and, only when the bound cannot prove it (huge weights), by evaluating the network on the training data,
    /// as a divergence check.
    /// </para>
    /// <para>
    /// Not thread-safe for the network: nothing else may use it while it trains, except from the
    /// <paramref name="progress"/> callback. A second <see cref="Train"/> of the same <see cref="DenseNetwork"/> while one
    /// runs (from another thread, or re-entrantly from a callback) is detected and throws
    /// <see cref="InvalidOperationException"/> without touching the network; concurrent prediction during training is not
    /// detected.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">Shapes do not match, the loss does not fit the output activation, the targets do not fit the loss, the options' layer regularizers do not match the layers, or the network holds non-finite parameters.</exception>
    /// <exception cref="InvalidOperationException">A custom <see cref="ISampleOrder"/> produced an index out of range (the network is restored), or the same <see cref="DenseNetwork"/> is already being trained.</exception>
    public TrainingResult Train(DenseNetwork network, Dataset data, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        var exclusive = network as DenseNetwork;
        if (exclusive is not null && !exclusive.TryBeginTraining())
        {
            throw new InvalidOperationException("This network is already being trained; a network can be trained by one call at a time.");
        }

        using Activity? activity = TrainingTelemetry.StartTrain(network, data, Options, Regularizer);
        try
        {
            TrainingResult result = TrainCore(network, data, progress, cancellationToken);
            TrainingTelemetry.StopTrain(activity, result);
            return result;
        }
        catch (Exception e)
        {
            TrainingTelemetry.Fail(activity, e);
            throw;
        }
        finally
        {
            exclusive?.EndTraining();
        }
    }

    private TrainingResult TrainCore(INetwork network, Dataset data, IProgress<EpochReport>? progress, CancellationToken cancellationToken)
    {
        LayerInfo[] layers = ValidateNetwork(network);
        ValidateData(network, data, layers[^1].Activation);
        IRegularizer[] regularizers = RegularizersFor(layers.Length, nameof(network));
        ValidateValidationData(network, data);

        TrainerOptions o = Options;
        IOptimizer optimizer = o.EffectiveOptimizer;
        using var workspace = new TrainingWorkspace(layers, network.ParameterCount, regularizers, o.Loss, o.OutputErrorRule, o.RegularizeBiases);
        workspace.PrepareTraining(Math.Min(o.BatchSize, data.Count), optimizer, o.EffectiveDegreeOfParallelism);
        float[] original = network.Parameters.ToArray();
        float[] epochStart = new float[original.Length];
        EarlyStoppingMonitor? stopping = o.EarlyStopping is null ? null : new EarlyStoppingMonitor(o.EarlyStopping, original.Length);
        int[] order = new int[data.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        ISampleOrder sampleOrder = o.SampleOrder ?? new ShuffledSampleOrder(o.Seed);
        int stepsPerEpoch = ((data.Count - 1) / o.BatchSize) + 1;
        int weightCount = layers.Sum(l => l.WeightCount);
        string regularizerKind = TrainingTelemetry.Kind(Regularizer);
        long steps = 0;
        long stepsAtEpochStart = 0;
        EpochReport? lastReport = null; // the last epoch's report, when one was evaluated (logger or progress)
        if (_logger.IsEnabled(LogLevel.Information))
        {
            // Only build the description when someone listens.
            Log.TrainingStarted(_logger, DescribeNetwork(layers), data.Count, o.Epochs, optimizer.LearningRate, o.BatchSize, o.Loss, Regularizer.Name);
            Log.TrainingPath(
                _logger,
                workspace.MiniBatch ? "mini-batch engine" : workspace.FusesSteps ? "per-sample engine (each layer's step inside its backward sweep)" : "per-sample engine (separate gradient and update passes)",
                workspace.Threads,
                optimizer.Name,
                workspace.RowBlockUpdates ? "blocks of rows, on the thread that computed their gradient" : "whole layers for the regularizers that couple them, after the gradient");
        }

        Kernels.KernelWidths.LogOnce(_logger);
        FeatureScaleCheck.Run(_logger, data);

        try
        {
            for (int epoch = 1; epoch <= o.Epochs; epoch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return Cancelled(epoch, 0);
                }

                sampleOrder.Arrange(order, epoch);
                CheckOrder(order);
                network.Parameters.CopyTo(epochStart);
                stepsAtEpochStart = steps;
                long epochTimer = TrainingTelemetry.EpochStart();

                for (int step = 0; step < stepsPerEpoch; step++)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return Cancelled(epoch, step);
                    }

                    int first = step * o.BatchSize;
                    int count = Math.Min(o.BatchSize, data.Count - first);
                    float loss = workspace.Step(network, data, order.AsSpan(first, count));
                    if (!float.IsFinite(loss))
                    {
                        return Diverged(epoch, step + 1);
                    }

                    steps++;
                }

                if (Guard.IndexOfNonFinite(network.Parameters) >= 0)
                {
                    return Diverged(epoch, stepsPerEpoch);
                }

                double epochSeconds = TrainingTelemetry.Elapsed(epochTimer);
                bool last = epoch == o.Epochs;
                bool logDue = (last || epoch % o.ReportInterval == 0) && (_logger.IsEnabled(LogLevel.Information) || TrainingTelemetry.WantsReport);
                bool progressDue = progress is not null && (last || epoch % (o.ProgressInterval ?? o.ReportInterval) == 0);
                if (logDue || progressDue)
                {
                    EpochReport report = workspace.Evaluate(network.Parameters, data, epoch, o.Epochs, steps);
                    if (!double.IsFinite(report.Loss))
                    {
                        return Diverged(epoch, stepsPerEpoch);
                    }

                    if (last)
                    {
                        lastReport = report;
                    }

                    if (logDue)
                    {
                        Log.EpochCompleted(_logger, report.Epoch, report.Epochs, report.Loss, report.DataLoss, report.Penalty, report.Accuracy, report.WeightL1, report.ZeroWeights);
                        TrainingTelemetry.Report(report, weightCount, regularizerKind);
                    }

                    if (progressDue)
                    {
                        progress!.Report(report);
                    }
                }

                TrainingTelemetry.EpochCompleted(data.Count, epochSeconds, regularizerKind);

                if (stopping is not null && stopping.IsDue(epoch))
                {
                    double validationLoss = workspace.Evaluate(network.Parameters, stopping.Validation, epoch, o.Epochs, steps).DataLoss;
                    if (stopping.Observe(epoch, network.Parameters, validationLoss))
                    {
                        stopping.RestoreBest(network.Parameters);
                        Log.EarlyStopped(_logger, epoch, stopping.BestEpoch, stopping.BestLoss);

                        // The network holds the best epoch's parameters: count the steps up to that epoch.
                        return Finish(TrainingStopReason.EarlyStopped, epoch, stopping.BestEpoch * (long)stepsPerEpoch, epoch, stepsPerEpoch);
                    }
                }
            }

            long kept = steps;
            if (stopping is not null && stopping.BestEpoch > 0)
            {
                stopping.RestoreBest(network.Parameters);
                kept = stopping.BestEpoch * (long)stepsPerEpoch;
                lastReport = null; // evaluated with other parameters
            }

            TrainingResult? result = Complete(kept, lastReport);
            if (result is null)
            {
                return Diverged(o.Epochs, stepsPerEpoch);
            }

            if (_logger.IsEnabled(LogLevel.Information))
            {
                // Reads Final: reused from the last epoch's report (which a logger at this level made), or evaluated now
                // when early stopping restored an earlier epoch's parameters.
                Log.TrainingCompleted(_logger, o.Epochs, steps, result.Final.Loss);
            }

            return result;
        }
        catch
        {
            original.CopyTo(network.Parameters);
            throw;
        }

        // A cancelled run returns a usable network too: steps of the epoch in progress may have overflowed a weight while
        // every step's loss stayed finite (saturated sigmoids), and the finiteness scan only runs at the end of an epoch.
        TrainingResult Cancelled(int epoch, int stepsInEpoch)
        {
            if (stepsInEpoch > 0 && Guard.IndexOfNonFinite(network.Parameters) >= 0)
            {
                return Diverged(epoch, stepsInEpoch);
            }

            TrainingResult cancelled = Finish(TrainingStopReason.Cancelled, epoch - 1, steps, epoch, stepsInEpoch);
            if (!double.IsFinite(cancelled.Final.Loss) && (stepsInEpoch > 0 || epoch > 1))
            {
                // Finite parameters whose loss is not: treated as the divergence it is. Before an epoch's first step the
                // parameters are the previous epoch's end, and the previous epoch is the one that diverged.
                return stepsInEpoch > 0 ? Diverged(epoch, stepsInEpoch) : Diverged(epoch - 1, stepsPerEpoch);
            }

            Log.TrainingCancelled(_logger, epoch, steps);
            TrainingTelemetry.SamplesTrained((int)Math.Min((long)stepsInEpoch * o.BatchSize, data.Count), regularizerKind);
            return cancelled;
        }

        // The parameters at the start of the epoch are the last ones known finite: the previous epoch ended with a check.
        // Finite is not enough (weights of 1e21 can still predict NaN): the state kept must have a finite loss on the
        // training data, or training falls back to the caller's own network.
        TrainingResult Diverged(int epoch, int step)
        {
            epochStart.CopyTo(network.Parameters);
            Log.TrainingDiverged(_logger, epoch, step);
            TrainingResult diverged = Finish(TrainingStopReason.Diverged, epoch - 1, stepsAtEpochStart, epoch, step, restoredOriginal: epoch == 1);
            if (epoch == 1 || double.IsFinite(diverged.Final.Loss))
            {
                return diverged;
            }

            original.CopyTo(network.Parameters);
            Log.DivergedStateUnusable(_logger, epoch, diverged.Final.Loss);
            return Finish(TrainingStopReason.Diverged, 0, 0, epoch, step, restoredOriginal: true);
        }

        // The result of a run that completed (null: its loss on the training data is not finite, so it diverged). The
        // guarantee that the network returned has a finite loss on every training row is kept without a forward pass when
        // possible: the last epoch's report, when one was evaluated with these parameters, already says so; otherwise
        // LossBound proves it in O(parameters), and Final's pass over the data is deferred to its first read, on a copy
        // of the parameters. Only when the proof fails is the network evaluated here, as before.
        TrainingResult? Complete(long kept, EpochReport? report)
        {
            if (report is { } evaluated)
            {
                return Result(TrainingStopReason.Completed, o.Epochs, kept, o.Epochs, stepsPerEpoch, evaluated);
            }

            ReadOnlySpan<float> parameters = network.Parameters;
            EpochReport parameterTerms = workspace.ParameterTerms(parameters, o.Epochs, o.Epochs, kept);
            if (double.IsFinite(parameterTerms.Penalty) && LossBound.ProvesFinite(layers, parameters, data, o.Loss))
            {
                // epochStart is not needed any more (nothing after this point rolls back): it becomes the snapshot.
                parameters.CopyTo(epochStart);
                return new TrainingResult(TrainingStopReason.Completed, o.Epochs, kept, o.Epochs, stepsPerEpoch, DeferredFinal(parameterTerms, layers, o.Loss, epochStart, data), stopping);
            }

            TrainingResult eager = Finish(TrainingStopReason.Completed, o.Epochs, kept, o.Epochs, stepsPerEpoch);
            return double.IsFinite(eager.Final.Loss) ? eager : null;
        }

        TrainingResult Result(TrainingStopReason reason, int epochsCompleted, long totalSteps, int stopEpoch, int stopStep, EpochReport final, bool restoredOriginal = false) =>
            new(reason, epochsCompleted, totalSteps, stopEpoch, stopStep, final, stopping, restoredOriginal);

        TrainingResult Finish(TrainingStopReason reason, int epochsCompleted, long totalSteps, int stopEpoch, int stopStep, bool restoredOriginal = false) =>
            Result(reason, epochsCompleted, totalSteps, stopEpoch, stopStep, workspace.Evaluate(network.Parameters, data, epochsCompleted, o.Epochs, totalSteps), restoredOriginal);
    }

    /// <summary>
    /// The deferred pass over the data of a completed run's <see cref="TrainingResult.Final"/>. A static method, so that the
    /// delegate holds only what the evaluation needs (not the training call's workspace or network).
    /// </summary>
    private static Func<EpochReport> DeferredFinal(EpochReport parameterTerms, LayerInfo[] layers, LossFunction loss, float[] snapshot, Dataset data) =>
        () => TrainingWorkspace.WithDataTerms(parameterTerms, layers, loss, snapshot, data);

    /// <summary>
    /// Computes the objective <c>J = 1/N sum_n E_n + sum_l R_l</c> over all of <paramref name="data"/> and its gradient
    /// <c>dJ/dw</c> in the network's parameter layout, exactly as training computes them (same output-error rule,
    /// regularizers and bias setting). Useful for gradient checks.
    /// </summary>
    /// <param name="network">The network; not changed.</param>
    /// <param name="data">Data whose shape matches the network.</param>
    /// <param name="gradient">Receives the gradient; length <see cref="INetwork.ParameterCount"/>.</param>
    /// <returns>The objective <c>J</c>.</returns>
    /// <exception cref="ArgumentException">Shapes do not match, or the loss does not fit the output activation or the targets.</exception>
    public double ComputeGradient(DenseNetwork network, Dataset data, Span<float> gradient)
    {
        LayerInfo[] layers = ValidateNetwork(network);
        ValidateData(network, data, layers[^1].Activation);
        if (gradient.Length != network.ParameterCount)
        {
            throw new ArgumentException(Guard.Text($"'gradient' must have length {network.ParameterCount}, but has length {gradient.Length}."), nameof(gradient));
        }

        IRegularizer[] regularizers = RegularizersFor(layers.Length, nameof(network));
        var workspace = new TrainingWorkspace(layers, network.ParameterCount, regularizers, Options.Loss, Options.OutputErrorRule, Options.RegularizeBiases);
        ReadOnlySpan<float> parameters = network.Parameters;
        double loss = 0;
        for (int r = 0; r < data.Count; r++)
        {
            loss += workspace.AccumulateSample(parameters, data.GetFeatures(r), data.GetTarget(r), overwrite: r == 0);
        }

        workspace.ScaleGradient(1f / data.Count);
        workspace.AddRegularizerGradient(parameters);
        workspace.Gradient.CopyTo(gradient);
        return (loss / data.Count) + workspace.Penalty(parameters);
    }

    private IRegularizer[] RegularizersFor(int layerCount, string paramName)
    {
        if (_layerRegularizers is null)
        {
            return Enumerable.Repeat(Regularizer, layerCount).ToArray();
        }

        if (_layerRegularizers.Length != layerCount)
        {
            throw new ArgumentException(Guard.Text($"The options give {_layerRegularizers.Length} layer regularizers but the network has {layerCount} layers."), paramName);
        }

        return _layerRegularizers;
    }

    private void ValidateValidationData(INetwork network, Dataset data)
    {
        Dataset? validation = Options.EarlyStopping?.Validation;
        if (validation is not null && (validation.FeatureCount != data.FeatureCount || validation.TargetCount != data.TargetCount))
        {
            throw new ArgumentException(Guard.Text($"The early-stopping validation set has {validation.FeatureCount} features and {validation.TargetCount} targets per row, but the training data has {data.FeatureCount} and {data.TargetCount}."), nameof(data));
        }

        if (validation is not null)
        {
            ValidateData(network, validation, network.Layers[^1].Activation);
        }
    }

    private static string DescribeNetwork(LayerInfo[] layers) =>
        $"{layers[0].InputSize}-" + string.Join("-", layers.Select(l => $"{l.OutputSize}({l.Activation})"));

    private static void CheckOrder(ReadOnlySpan<int> order)
    {
        foreach (int row in order)
        {
            if ((uint)row >= (uint)order.Length)
            {
                throw new InvalidOperationException(Guard.Text($"The sample order produced row index {row}, outside [0, {order.Length})."));
            }
        }
    }

    private LayerInfo[] ValidateNetwork(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<LayerInfo> list = network.Layers;
        if (list is null || list.Count == 0)
        {
            throw new ArgumentException("The network has no layers.", nameof(network));
        }

        LayerInfo[] layers = list.ToArray();
        int previous = network.InputSize;
        long offset = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            LayerInfo layer = layers[l];
            if (layer.InputSize != previous || layer.OutputSize <= 0 || layer.WeightOffset != offset)
            {
                throw new ArgumentException(Guard.Text($"Layer {l} of the network does not follow the dense layout (inputs {layer.InputSize}, expected {previous}; offset {layer.WeightOffset}, expected {offset})."), nameof(network));
            }

            ActivationRules.Validate(layer.Activation, l == layers.Length - 1, layer.OutputSize, nameof(network));
            offset += layer.ParameterCount;
            previous = layer.OutputSize;
        }

        if (offset != network.ParameterCount || network.Parameters.Length != network.ParameterCount || previous != network.OutputSize)
        {
            throw new ArgumentException("The network's parameter count or output size does not match its layers.", nameof(network));
        }

        int bad = Guard.IndexOfNonFinite(network.Parameters);
        if (bad >= 0)
        {
            throw new ArgumentException(Guard.Text($"The network holds a non-finite parameter ({network.Parameters[bad]}) at index {bad}."), nameof(network));
        }

        Activation output = layers[^1].Activation;
        if (!LossFunctions.Supports(Options.Loss, output))
        {
            throw new ArgumentException(Guard.Text($"Loss {Options.Loss} is not defined for a {output} output layer; use a softmax or sigmoid output, or squared error."), nameof(network));
        }

        return layers;
    }

    private void ValidateData(INetwork network, Dataset data, Activation output)
    {
        Metrics.CheckShapes(network, data);
        if (Options.Loss != LossFunction.CrossEntropy || data.HasLabels)
        {
            return;
        }

        ReadOnlySpan<float> targets = data.Targets;
        int k = data.TargetCount;
        for (int r = 0; r < data.Count; r++)
        {
            ReadOnlySpan<float> t = targets.Slice(r * k, k);
            float sum = 0f;
            foreach (float v in t)
            {
                if (v is < 0f or > 1f)
                {
                    throw new ArgumentException(Guard.Text($"Cross-entropy needs targets in [0, 1]; row {r} holds {v}."), nameof(data));
                }

                sum += v;
            }

            if (output == Activation.Softmax && MathF.Abs(sum - 1f) > 1e-4f)
            {
                throw new ArgumentException(Guard.Text($"Cross-entropy with a softmax output needs each target row to sum to 1; row {r} sums to {sum}."), nameof(data));
            }
        }
    }
}
