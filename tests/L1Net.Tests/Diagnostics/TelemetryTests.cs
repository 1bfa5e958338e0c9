using System.Diagnostics;
using L1Net.Tests.Regularization;
using L1Net.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace L1Net.Tests.Diagnostics;

/// <summary>
/// Listeners are process-wide: these tests run alone, so that no other test's training shows in their collectors and no
/// listener of theirs is attached while the allocation tests measure.
/// </summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection
{
}

[Collection(nameof(TelemetryCollection))]
public class TelemetryTests
{
    private static readonly Dataset Data = RandomProblems.Classification(5, rows: 40, features: 4, classes: 3);

    private static DenseNetwork Network() =>
        NetworkBuilder.Input(4).Dense(6, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(3));

    private static int NonzeroWeights(DenseNetwork network) =>
        Enumerable.Range(0, network.Layers.Count).Sum(l => network.GetWeights(l).ToArray().Count(w => w != 0f));

    [Fact]
    public void Training_records_samples_epoch_durations_loss_and_nonzero_weights()
    {
        using var samples = new MetricCollector<long>(null, TrainingTelemetry.MeterName, TrainingTelemetry.SamplesInstrument);
        using var durations = new MetricCollector<double>(null, TrainingTelemetry.MeterName, TrainingTelemetry.EpochDurationInstrument);
        using var loss = new MetricCollector<double>(null, TrainingTelemetry.MeterName, TrainingTelemetry.LossInstrument);
        using var nonzero = new MetricCollector<long>(null, TrainingTelemetry.MeterName, TrainingTelemetry.NonzeroWeightsInstrument);
        DenseNetwork network = Network();
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 5, ReportInterval = 2, LearningRate = 0.1f, BatchSize = 4 }, Regularizer.ProximalL1(0.2f));

        // No logger and no progress: the loss and nonzero-weight listeners alone ask for the report epochs 2, 4 and 5.
        TrainingResult result = trainer.Train(network, Data);

        Assert.Equal(Enumerable.Repeat((long)Data.Count, 5), samples.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.All(samples.GetMeasurementSnapshot(), m => Assert.Equal("ProximalL1", m.Tags[TrainingTelemetry.RegularizerTag]));
        Assert.Equal(5, durations.GetMeasurementSnapshot().Count);
        Assert.All(durations.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0 && double.IsFinite(m.Value)));
        Assert.Equal(3, loss.GetMeasurementSnapshot().Count);
        Assert.Equal(result.Final.Loss, loss.LastMeasurement!.Value);
        Assert.Equal(3, nonzero.GetMeasurementSnapshot().Count);
        Assert.Equal(NonzeroWeights(network), nonzero.LastMeasurement!.Value);
        Assert.True(nonzero.LastMeasurement.Value < 4 * 6 + 6 * 3, "proximal L1 should have zeroed some weights");
    }

    [Fact]
    public void A_loss_metric_listener_makes_the_last_epoch_report_the_Final_without_a_deferred_pass()
    {
        // TrainingResult.Final's documentation: a metrics listener makes Train evaluate the last epoch, and that report is
        // the Final (nothing deferred). Without the listener the same call leaves Final deferred.
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 3, ReportInterval = 1000, LearningRate = 0.1f, BatchSize = 4 }, Regularizer.L1(0.01f));
        TrainingResult unobserved = trainer.Train(Network(), Data);
        Assert.False(unobserved.FinalEvaluated);

        TrainingResult result;
        double measured;
        using (var loss = new MetricCollector<double>(null, TrainingTelemetry.MeterName, TrainingTelemetry.LossInstrument))
        {
            result = trainer.Train(Network(), Data);
            Assert.True(result.FinalEvaluated, "the listener's report of the last epoch is the Final");
            measured = Assert.Single(loss.GetMeasurementSnapshot()).Value; // ReportInterval 1000: the last epoch only
        }

        Assert.Equal(measured, result.Final.Loss);
        Assert.Equal(BitConverter.DoubleToInt64Bits(unobserved.Final.Loss), BitConverter.DoubleToInt64Bits(result.Final.Loss));
        Assert.Equal(BitConverter.DoubleToInt64Bits(unobserved.Final.DataLoss), BitConverter.DoubleToInt64Bits(result.Final.DataLoss));
        Assert.Equal(unobserved.Final.Accuracy, result.Final.Accuracy);
    }

    [Fact]
    public void A_Train_span_recording_all_data_reads_Final_inside_Train()
    {
        TrainingResult result;
        using (new SpanRecorder())
        {
            result = new BackPropTrainer(new TrainerOptions { Epochs = 2 }, Regularizer.L1(0.001f)).Train(Network(), Data);
        }

        Assert.True(result.FinalEvaluated, "the span's l1net.loss tag reads Final before Train returns");
    }

    [Fact]
    public void A_cancelled_epoch_counts_the_rows_of_its_completed_steps()
    {
        using var samples = new MetricCollector<long>(null, TrainingTelemetry.MeterName, TrainingTelemetry.SamplesInstrument);
        using var cts = new CancellationTokenSource();
        var progress = new CallbackProgress(r =>
        {
            if (r.Epoch == 2)
            {
                cts.Cancel();
            }
        });

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 5, ReportInterval = 1, BatchSize = 8 })
            .Train(Network(), Data, progress, cts.Token);

        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        Assert.Equal(result.Steps * 8, samples.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public void The_progress_interval_is_separate_from_the_logging_interval()
    {
        var logger = new CapturingLogger(LogLevel.Information);
        var reports = new List<EpochReport>();
        var trainer = new BackPropTrainer(new TrainerOptions { Epochs = 20, ReportInterval = 10, ProgressInterval = 1 }, logger: logger);

        trainer.Train(Network(), Data, new CallbackProgress(reports.Add));

        Assert.Equal(Enumerable.Range(1, 20), reports.Select(r => r.Epoch));
        Assert.Equal([10, 20], logger.Records.Where(r => r.EventId.Id == 2).Select(r => r.Get<int>("Epoch")));
    }

    [Fact]
    public void Without_a_progress_interval_progress_follows_the_report_interval()
    {
        var reports = new List<EpochReport>();
        new BackPropTrainer(new TrainerOptions { Epochs = 7, ReportInterval = 3 }).Train(Network(), Data, new CallbackProgress(reports.Add));
        Assert.Equal([3, 6, 7], reports.Select(r => r.Epoch));
    }

    [Fact]
    public void A_progress_interval_coarser_than_the_log_reports_less_often()
    {
        var logger = new CapturingLogger(LogLevel.Information);
        var reports = new List<EpochReport>();
        new BackPropTrainer(new TrainerOptions { Epochs = 9, ReportInterval = 2, ProgressInterval = 4 }, logger: logger).Train(Network(), Data, new CallbackProgress(reports.Add));
        Assert.Equal([4, 8, 9], reports.Select(r => r.Epoch));
        Assert.Equal([2, 4, 6, 8, 9], logger.Records.Where(r => r.EventId.Id == 2).Select(r => r.Get<int>("Epoch")));
    }

    [Fact]
    public void Train_is_a_span_with_its_settings_and_outcome()
    {
        using var spans = new SpanRecorder();
        DenseNetwork network = Network();

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 3 }, Regularizer.L1(0.001f)).Train(network, Data);

        Activity train = Assert.Single(spans.Stopped);
        Assert.Equal(TrainingTelemetry.TrainActivity, train.OperationName);
        Assert.Equal(TrainingTelemetry.ActivitySourceName, train.Source.Name);
        Assert.Equal(network.ToString(), train.GetTagItem("l1net.network"));
        Assert.Equal(Data.Count, train.GetTagItem("l1net.rows"));
        Assert.Equal(3, train.GetTagItem("l1net.epochs"));
        Assert.Equal("L1(0.001)", train.GetTagItem(TrainingTelemetry.RegularizerTag));
        Assert.Equal("Completed", train.GetTagItem("l1net.stop_reason"));
        Assert.Equal(result.Steps, train.GetTagItem("l1net.steps"));
        Assert.Equal(result.Final.Loss, train.GetTagItem("l1net.loss"));
        Assert.Equal(ActivityStatusCode.Unset, train.Status);
    }

    [Fact]
    public void A_Train_that_throws_ends_its_span_with_an_error()
    {
        using var spans = new SpanRecorder();
        var progress = new CallbackProgress(_ => throw new NotSupportedException("boom"));

        Assert.Throws<NotSupportedException>(() => new BackPropTrainer(new TrainerOptions { Epochs = 3, ReportInterval = 1 }).Train(Network(), Data, progress));

        Activity train = Assert.Single(spans.Stopped);
        Assert.Equal(ActivityStatusCode.Error, train.Status);
        Assert.Equal("boom", train.StatusDescription);
    }

    [Fact]
    public void Cross_validation_has_a_span_per_fold_and_per_path_point_each_holding_its_training()
    {
        using var spans = new SpanRecorder();
        var path = new RegularizationPathOptions
        {
            Trainer = new TrainerOptions { Epochs = 3, LearningRate = 0.05f, BatchSize = 5, Seed = 2 },
            CreateRegularizer = Regularizer.ProximalL1,
            Lambdas = [0.2f, 0.05f, 0.01f],
        };

        new CrossValidation(path, new CrossValidationOptions { Folds = 3 }).Run(SparsityProblem.Network(), SparsityProblem.Create(60, 31));

        List<Activity> folds = spans.Stopped.Where(a => a.OperationName == TrainingTelemetry.FoldActivity).ToList();
        List<Activity> points = spans.Stopped.Where(a => a.OperationName == TrainingTelemetry.PathPointActivity).ToList();
        List<Activity> trains = spans.Stopped.Where(a => a.OperationName == TrainingTelemetry.TrainActivity).ToList();
        Assert.Equal([1, 2, 3], folds.Select(f => (int)f.GetTagItem("l1net.fold")!).Order());   // folds may run in parallel
        Assert.Equal(4 * 3, points.Count);                   // the path on all the data, then three folds
        Assert.Equal(points.Count, trains.Count(t => points.Any(p => p.SpanId == t.ParentSpanId)));   // (a refit may add one more)
        foreach (Activity fold in folds)
        {
            List<Activity> inFold = points.Where(p => p.ParentSpanId == fold.SpanId).OrderBy(p => (int)p.GetTagItem("l1net.path.index")!).ToList();
            Assert.Equal([0.2, 0.05, 0.01], inFold.Select(p => Math.Round((double)p.GetTagItem("l1net.lambda")!, 6)));
            Assert.All(inFold, p => Assert.Equal(fold.GetTagItem("l1net.fold"), p.GetTagItem("l1net.fold")));
        }

        Assert.Equal(3, points.Count(p => (int)p.GetTagItem("l1net.fold")! == 0));
        Assert.All(points, p => Assert.IsType<int>(p.GetTagItem("l1net.weights.nonzero")));
    }

    [Fact]
    public void Nothing_is_recorded_and_no_span_exists_without_listeners()
    {
        Assert.False(TrainingTelemetry.Source.HasListeners());
        Assert.False(TrainingTelemetry.Samples.Enabled);
        Assert.False(TrainingTelemetry.WantsReport);
        Assert.Null(TrainingTelemetry.StartTrain(Network(), Data, new TrainerOptions(), Regularizer.None));
        Assert.Equal(0, TrainingTelemetry.EpochStart());
    }

    private sealed class CallbackProgress(Action<EpochReport> action) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => action(value);
    }

    /// <summary>Records every L1Net span stopped while it lives.</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ActivityListener _listener;

        public SpanRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == TrainingTelemetry.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    lock (Stopped)
                    {
                        Stopped.Add(a);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<Activity> Stopped { get; } = [];

        public void Dispose() => _listener.Dispose();
    }
}
