using L1Net.Tests.Support;
using Microsoft.Extensions.Logging;

namespace L1Net.Tests.Diagnostics;

/// <summary>The trainer's log events, their structured values, and the progress callback that mirrors them.</summary>
public class LoggingTests
{
    private const int Epochs = 25;
    private const int Interval = 10;
    private const int Rows = 30;
    private const int Batch = 4;

    [Fact]
    public void A_training_logs_started_epoch_summaries_and_completed_in_order()
    {
        (CapturingLogger logger, _, TrainingResult result, _, _) = Run();

        // Event 60 (KernelWidthsChosen, Debug) comes once per process, in whichever test trains first with a logger.
        LogRecord[] records = logger.Records.Where(r => r.EventId.Id != 60).ToArray();
        Assert.Equal(
            [(1, "TrainingStarted"), (7, "TrainingPath"), (2, "EpochCompleted"), (2, "EpochCompleted"), (2, "EpochCompleted"), (3, "TrainingCompleted")],
            records.Select(r => (r.EventId.Id, r.EventId.Name!)).ToArray());
        Assert.All(records, r => Assert.Equal(LogLevel.Information, r.Level));
        Assert.Equal([10, 20, 25], logger.Records.Where(r => r.EventId.Id == 2).Select(r => r.Get<int>("Epoch")).ToArray());
        Assert.True(result.Completed);
    }

    [Fact]
    public void Docs_architecture_lists_every_log_event()
    {
        // Every [LoggerMessage] of the Log class, as (id, name, level).
        string[] expected = typeof(L1Net.Diagnostics.Log)
            .GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
            .Select(m => m.GetCustomAttributes(typeof(LoggerMessageAttribute), false).OfType<LoggerMessageAttribute>().SingleOrDefault())
            .OfType<LoggerMessageAttribute>()
            .OrderBy(a => a.EventId)
            .Select(a => $"{a.EventId} {a.EventName} {a.Level}")
            .ToArray();

        string doc = File.ReadAllText(Path.Combine(L1Net.Tests.Reliability.Fixtures.RepositoryRoot(), "docs", "architecture.md"));
        int start = doc.IndexOf("<!-- log-events:start -->", StringComparison.Ordinal);
        int end = doc.IndexOf("<!-- log-events:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/architecture.md lacks the log-events markers");
        string[] documented = doc[start..end].ReplaceLineEndings("\n").Split('\n')
            .Where(line => line.Length > 1 && line[0] == '|' && char.IsAsciiDigit(line.TrimStart('|', ' ')[0]))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => $"{cells[1]} {cells[2].Trim('`')} {cells[3]}")
            .ToArray();

        Assert.True(expected.Length >= 12, string.Join(", ", expected));
        Assert.Equal(expected, documented);
    }

    [Fact]
    public void TrainingStarted_carries_the_run_description()
    {
        (CapturingLogger logger, _, _, _, _) = Run();
        LogRecord started = logger.Records[0];

        Assert.Equal("5-6(Tanh)-3(Softmax)", started.Get<string>("Network"));
        Assert.Equal(Rows, started.Get<int>("Rows"));
        Assert.Equal(Epochs, started.Get<int>("Epochs"));
        Assert.Equal(0.05f, started.Get<float>("LearningRate"));
        Assert.Equal(Batch, started.Get<int>("BatchSize"));
        Assert.Equal(LossFunction.CrossEntropy, started.Get<LossFunction>("Loss"));
        Assert.Equal("ElasticNet(0.01, 0.02)", started.Get<string>("Regularizer"));
    }

    [Fact]
    public void EpochCompleted_values_match_the_progress_reports_and_the_final_state()
    {
        (CapturingLogger logger, List<EpochReport> reports, TrainingResult result, DenseNetwork network, Dataset data) = Run();
        LogRecord[] epochs = logger.Records.Where(r => r.EventId.Id == 2).ToArray();

        Assert.Equal(epochs.Length, reports.Count);
        for (int i = 0; i < epochs.Length; i++)
        {
            LogRecord e = epochs[i];
            EpochReport p = reports[i];
            Assert.Equal(p.Epoch, e.Get<int>("Epoch"));
            Assert.Equal(Epochs, e.Get<int>("Epochs"));
            Assert.Equal(p.Loss, e.Get<double>("Loss"));
            Assert.Equal(p.DataLoss, e.Get<double>("DataLoss"));
            Assert.Equal(p.Penalty, e.Get<double>("Penalty"));
            Assert.Equal(p.Accuracy, e.Get<double>("Accuracy"));
            Assert.Equal(p.WeightL1, e.Get<double>("WeightL1"));
            Assert.Equal(p.ZeroWeights, e.Get<int>("ZeroWeights"));
            Assert.Equal(p.DataLoss + p.Penalty, p.Loss);
            Assert.Equal((long)p.Epoch * ((Rows + Batch - 1) / Batch), p.Steps);
            Assert.Contains($"Epoch {p.Epoch}/{Epochs}", e.Message, StringComparison.Ordinal);
        }

        // The last report describes the network as it was returned, by independent computations.
        EpochReport last = reports[^1];
        Assert.Equal(result.Final, last);
        var gradient = new float[network.ParameterCount];
        double j = new BackPropTrainer(new TrainerOptions { Loss = LossFunction.CrossEntropy }, Regularizer.ElasticNet(0.01f, 0.02f)).ComputeGradient(network, data, gradient);
        Assert.Equal(j, last.Loss, 1e-6);
        Assert.Equal(Metrics.MeanLoss(network, data, LossFunction.CrossEntropy), last.DataLoss, 1e-6);
        double[] p0 = ReferenceModel.ToDouble(network.Parameters);
        double penalty = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            penalty += ReferenceModel.Penalty(RegSpec.Of(RegKind.ElasticNet, 0.01f, 0.02f), p0.AsSpan(network.Layers[l].WeightOffset, network.Layers[l].WeightCount));
        }

        Assert.Equal(penalty, last.Penalty, 1e-6);
        Assert.Equal(Metrics.Accuracy(network, data), last.Accuracy);
        WeightStatistics stats = WeightStatistics.Compute(network);
        Assert.Equal(stats.L1Norm, last.WeightL1, 1e-9);
        Assert.Equal(stats.ExactZeros, last.ZeroWeights);
    }

    [Fact]
    public void TrainingCompleted_carries_epochs_steps_and_final_loss()
    {
        (CapturingLogger logger, _, TrainingResult result, _, _) = Run();
        LogRecord completed = logger.Records[^1];

        Assert.Equal(Epochs, completed.Get<int>("Epochs"));
        Assert.Equal(Epochs * ((Rows + Batch - 1) / Batch), completed.Get<long>("Steps"));
        Assert.Equal(result.Steps, completed.Get<long>("Steps"));
        Assert.Equal(result.Final.Loss, completed.Get<double>("Loss"));
    }

    [Fact]
    public void Without_a_logger_training_gives_the_same_result_and_progress()
    {
        (_, List<EpochReport> logged, TrainingResult withLogger, DenseNetwork a, _) = Run();
        (_, List<EpochReport> silent, TrainingResult without, DenseNetwork b, _) = Run(useLogger: false);

        Floats.AssertBitwiseEqual(a.Parameters, b.Parameters, "parameters");
        Assert.Equal(withLogger.Final, without.Final);
        Assert.Equal(logged, silent);
    }

    [Fact]
    public void A_logger_above_information_sees_nothing_from_a_normal_run()
    {
        var logger = new CapturingLogger(LogLevel.Warning);
        (_, _, TrainingResult result, _, _) = Run(logger: logger);

        Assert.True(result.Completed);
        Assert.Empty(logger.Records);
    }

    [Fact]
    public void Cancelling_logs_a_warning_with_the_epoch_and_steps()
    {
        using var cancel = new CancellationTokenSource();
        var logger = new CapturingLogger();
        Dataset data = RandomProblems.Classification(41, Rows, 5, 3);
        DenseNetwork network = Network();
        var progress = new Recorder(r =>
        {
            if (r.Epoch == 10)
            {
                cancel.Cancel();
            }
        });

        TrainingResult result = Trainer(logger).Train(network, data, progress, cancel.Token);

        Assert.Equal(TrainingStopReason.Cancelled, result.StopReason);
        LogRecord warning = Assert.Single(logger.Records, r => r.EventId.Id == 4);
        Assert.Equal("TrainingCancelled", warning.EventId.Name);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(11, warning.Get<int>("Epoch"));
        Assert.Equal(10L * ((Rows + Batch - 1) / Batch), warning.Get<long>("Steps"));
        Assert.DoesNotContain(logger.Records, r => r.EventId.Id == 3);
    }

    [Fact]
    public void Diverging_logs_a_warning_with_the_epoch()
    {
        var logger = new CapturingLogger();
        DenseNetwork network = NetworkBuilder.Input(2).Dense(2, Activation.Identity).Build(new UniformInitializer(0.5f, 1f, 1));
        Dataset data = Dataset.FromTargets(new float[,] { { 10f, -10f }, { 20f, 5f } }, new float[,] { { 1f, 2f }, { 3f, 4f } });
        var options = new TrainerOptions { Epochs = 100, LearningRate = 1e3f, Loss = LossFunction.SquaredError, SampleOrder = SequentialSampleOrder.Instance };

        TrainingResult result = new BackPropTrainer(options, null, logger).Train(network, data);

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        LogRecord warning = Assert.Single(logger.Records, r => r.EventId.Id == 5);
        Assert.Equal("TrainingDiverged", warning.EventId.Name);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(result.StopEpoch, warning.Get<int>("Epoch"));
        Assert.Equal(result.StopStep, warning.Get<int>("Step"));
    }

    private static (CapturingLogger Logger, List<EpochReport> Reports, TrainingResult Result, DenseNetwork Network, Dataset Data) Run(bool useLogger = true, CapturingLogger? logger = null)
    {
        logger ??= new CapturingLogger();
        Dataset data = RandomProblems.Classification(41, Rows, 5, 3);
        DenseNetwork network = Network();
        var progress = new Recorder(null);
        TrainingResult result = Trainer(useLogger ? logger : null).Train(network, data, progress);
        return (logger, progress.Reports, result, network, data);
    }

    private static DenseNetwork Network() => NetworkBuilder.Input(5).Dense(6, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(2));

    private static BackPropTrainer Trainer(ILogger? logger) => new(
        new TrainerOptions { Epochs = Epochs, ReportInterval = Interval, LearningRate = 0.05f, BatchSize = Batch, Loss = LossFunction.CrossEntropy, Seed = 4 },
        Regularizer.ElasticNet(0.01f, 0.02f),
        logger);

    private sealed class Recorder(Action<EpochReport>? onReport) : IProgress<EpochReport>
    {
        public List<EpochReport> Reports { get; } = [];

        public void Report(EpochReport value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    [Fact]
    public void The_kernel_widths_are_logged_at_most_once_per_process()
    {
        var first = new CapturingLogger();
        var second = new CapturingLogger();
        L1Net.Kernels.KernelWidths.LogOnce(first);
        L1Net.Kernels.KernelWidths.LogOnce(second);
        LogRecord[] records = [.. first.Records, .. second.Records];
        Assert.True(records.Length <= 1, "logged twice");
        Assert.Empty(second.Records);
        foreach (LogRecord record in records)
        {
            Assert.Equal("KernelWidthsChosen", record.EventId.Name);
            Assert.Equal(LogLevel.Debug, record.Level);
            Assert.Equal((int)L1Net.Kernels.KernelWidths.Gemm * 32, record.Get<int>("GemmBits"));
        }
    }
}
