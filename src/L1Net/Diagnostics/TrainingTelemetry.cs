using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace L1Net.Diagnostics;

/// <summary>
/// The names under which L1Net publishes metrics (a <see cref="Meter"/>) and traces (an <see cref="ActivitySource"/>),
/// both from <c>System.Diagnostics</c>: subscribe with OpenTelemetry (<c>AddMeter(TrainingTelemetry.MeterName)</c>,
/// <c>AddSource(TrainingTelemetry.ActivitySourceName)</c>), <c>dotnet-counters</c>, a <see cref="MeterListener"/> or an
/// <see cref="ActivityListener"/>.
/// </summary>
/// <remarks>
/// <para>Instruments (every measurement is tagged <see cref="RegularizerTag"/> with the regularizer's kind: its
/// <see cref="IRegularizer.Name"/> without the parenthesised strengths, <c>ProximalL1</c> for <c>ProximalL1(0.01)</c>, so
/// a regularization path does not make a time series per lambda):</para>
/// <list type="table">
/// <item><term><see cref="SamplesInstrument"/></term><description>counter, <c>{sample}</c>: rows trained, added after every
/// completed epoch (an epoch rolled back by divergence is not counted) and for the steps of a cancelled epoch.</description></item>
/// <item><term><see cref="EpochDurationInstrument"/></term><description>histogram, seconds: the wall-clock time of each
/// completed epoch's steps (not its report evaluation).</description></item>
/// <item><term><see cref="LossInstrument"/></term><description>gauge: the objective (data loss + penalty) on the training
/// data, at every <see cref="TrainerOptions.ReportInterval"/>-th epoch and the last one.</description></item>
/// <item><term><see cref="NonzeroWeightsInstrument"/></term><description>gauge, <c>{weight}</c>: weights (biases excluded)
/// that are not exactly zero, at the same epochs.</description></item>
/// </list>
/// <para>
/// Spans: <see cref="TrainActivity"/> around every <see cref="BackPropTrainer.Train"/> call (tags: network, rows, epochs,
/// regularizer; at the end stop reason, epochs completed, steps, loss; status Error when it throws),
/// <see cref="FoldActivity"/> around each cross-validation fold and <see cref="PathPointActivity"/> around each lambda of
/// a regularization path (each holding its <c>Train</c> span).
/// </para>
/// <para>
/// With nothing listening, training pays one flag test per epoch and allocates nothing more: no span is created, no
/// evaluation pass is added, and the per-step loop is untouched. A loss or nonzero-weight listener adds the evaluation
/// pass that logging or progress reporting would make at those epochs.
/// </para>
/// </remarks>
public static class TrainingTelemetry
{
    /// <summary>The name of L1Net's <see cref="Meter"/>.</summary>
    public const string MeterName = "L1Net";

    /// <summary>The name of L1Net's <see cref="ActivitySource"/>.</summary>
    public const string ActivitySourceName = "L1Net";

    /// <summary>Counter of rows trained.</summary>
    public const string SamplesInstrument = "l1net.training.samples";

    /// <summary>Histogram of epoch durations, in seconds.</summary>
    public const string EpochDurationInstrument = "l1net.training.epoch.duration";

    /// <summary>Gauge of the training objective at report epochs.</summary>
    public const string LossInstrument = "l1net.training.loss";

    /// <summary>Gauge of the weights that are not exactly zero, at report epochs.</summary>
    public const string NonzeroWeightsInstrument = "l1net.training.weights.nonzero";

    /// <summary>
    /// The tag every measurement carries: the regularizer's kind (its <see cref="IRegularizer.Name"/> up to the first
    /// parenthesis). The <see cref="TrainActivity"/> span carries the whole name under the same key.
    /// </summary>
    public const string RegularizerTag = "l1net.regularizer";

    /// <summary>The span of one <see cref="BackPropTrainer.Train"/> call.</summary>
    public const string TrainActivity = "L1Net.Train";

    /// <summary>The span of one cross-validation fold (its whole path).</summary>
    public const string FoldActivity = "L1Net.CrossValidation.Fold";

    /// <summary>The span of one lambda of a regularization path.</summary>
    public const string PathPointActivity = "L1Net.RegularizationPath.Point";

    private static readonly string s_version = typeof(TrainingTelemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    internal static readonly ActivitySource Source = new(ActivitySourceName, s_version);

    internal static readonly Meter Meter = new(MeterName, s_version);

    internal static readonly Counter<long> Samples = Meter.CreateCounter<long>(SamplesInstrument, "{sample}", "Rows trained.");

    internal static readonly Histogram<double> EpochDuration = Meter.CreateHistogram<double>(EpochDurationInstrument, "s", "Wall-clock time of one training epoch.");

    internal static readonly Gauge<double> Loss = Meter.CreateGauge<double>(LossInstrument, null, "Training objective (data loss + penalty) at report epochs.");

    internal static readonly Gauge<long> NonzeroWeights = Meter.CreateGauge<long>(NonzeroWeightsInstrument, "{weight}", "Weights that are not exactly zero, at report epochs.");

    /// <summary>Whether a listener wants the values of an epoch report (the loss or the nonzero weights).</summary>
    internal static bool WantsReport => Loss.Enabled || NonzeroWeights.Enabled;

    /// <summary>A timestamp for <see cref="EpochCompleted"/>, or 0 when nobody listens to epoch durations.</summary>
    internal static long EpochStart() => EpochDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>The metric tag value for <paramref name="regularizer"/>: its name without the parenthesised strengths.</summary>
    internal static string Kind(IRegularizer regularizer)
    {
        string name = regularizer.Name ?? string.Empty;
        int open = name.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? name : name[..open];
    }

    /// <summary>Seconds since <paramref name="start"/> (from <see cref="EpochStart"/>), or NaN when it was not taken.</summary>
    internal static double Elapsed(long start) => start != 0 ? Stopwatch.GetElapsedTime(start).TotalSeconds : double.NaN;

    /// <summary>An epoch kept (past every divergence check): its rows and, when measured, its duration.</summary>
    internal static void EpochCompleted(int samples, double seconds, string regularizer)
    {
        var tag = new KeyValuePair<string, object?>(RegularizerTag, regularizer);
        Samples.Add(samples, tag);
        if (!double.IsNaN(seconds))
        {
            EpochDuration.Record(seconds, tag);
        }
    }

    internal static void SamplesTrained(int samples, string regularizer)
    {
        if (samples > 0)
        {
            Samples.Add(samples, new KeyValuePair<string, object?>(RegularizerTag, regularizer));
        }
    }

    internal static void Report(in EpochReport report, int weightCount, string regularizer)
    {
        var tag = new KeyValuePair<string, object?>(RegularizerTag, regularizer);
        Loss.Record(report.Loss, tag);
        NonzeroWeights.Record(weightCount - report.ZeroWeights, tag);
    }

    internal static Activity? StartTrain(INetwork network, Dataset data, TrainerOptions options, IRegularizer regularizer)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity(TrainActivity);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("l1net.network", network?.ToString());
            activity.SetTag("l1net.rows", data?.Count);
            activity.SetTag("l1net.epochs", options.Epochs);
            activity.SetTag(RegularizerTag, regularizer.Name);
        }

        return activity;
    }

    internal static void StopTrain(Activity? activity, TrainingResult result)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("l1net.stop_reason", result.StopReason.ToString());
            activity.SetTag("l1net.epochs_completed", result.EpochsCompleted);
            activity.SetTag("l1net.steps", result.Steps);
            activity.SetTag("l1net.loss", result.Final.Loss);
        }
    }

    internal static Activity? StartFold(int fold, int folds, int trainRows, int validationRows)
    {
        Activity? activity = Source.HasListeners() ? Source.StartActivity(FoldActivity) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("l1net.fold", fold);
            activity.SetTag("l1net.folds", folds);
            activity.SetTag("l1net.rows", trainRows);
            activity.SetTag("l1net.validation_rows", validationRows);
        }

        return activity;
    }

    internal static Activity? StartPathPoint(int fold, int index, int count, float lambda, bool warm)
    {
        Activity? activity = Source.HasListeners() ? Source.StartActivity(PathPointActivity) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("l1net.fold", fold);
            activity.SetTag("l1net.path.index", index);
            activity.SetTag("l1net.path.count", count);
            activity.SetTag("l1net.lambda", (double)lambda);
            activity.SetTag("l1net.warm_start", warm);
        }

        return activity;
    }

    internal static void StopPathPoint(Activity? activity, int nonzeroWeights, double loss)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("l1net.weights.nonzero", nonzeroWeights);
            activity.SetTag("l1net.loss", loss);
        }
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="exception"/> (the exception propagates).</summary>
    internal static void Fail(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity.AddException(exception);
        }
    }
}
