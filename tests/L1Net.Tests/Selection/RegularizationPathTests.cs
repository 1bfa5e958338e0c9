using L1Net.Tests.Regularization;
using L1Net.Tests.Support;
using Microsoft.Extensions.Logging;

namespace L1Net.Tests.Selection;

public class RegularizationPathTests
{
    private static readonly Dataset Data = SparsityProblem.Create(150, 21);

    private static RegularizationPathOptions Options(int count = 5, PathDirection direction = PathDirection.WarmDownward) => new()
    {
        Direction = direction,
        Trainer = new TrainerOptions { Epochs = 15, LearningRate = 0.05f, BatchSize = 5, Seed = 2 },
        CreateRegularizer = Regularizer.CumulativeL1,
        LambdaCount = count,
        LambdaMinRatio = 0.01f,
        LambdaMaxTolerance = 0.1f,
    };

    [Fact]
    public void The_lambda_sequence_is_geometric_from_lambda_max_down_to_the_ratio()
    {
        IReadOnlyList<float> lambdas = new RegularizationPath(Options(3)).LambdaSequence(2f);
        Assert.Equal(2f, lambdas[0]);
        Assert.Equal(0.2f, lambdas[1], 6);
        Assert.Equal(0.02f, lambdas[2], 6);
    }

    [Fact]
    public void A_folds_path_evaluates_the_final_loss_only_when_something_reports_it()
    {
        // TrainingResult.Final is a forward pass over the training rows, deferred by Train to its first read. A fold's path
        // (cross-validation scores its points on the validation rows, then drops them) read it for every point even with
        // no progress, logger or activity listening: one wasted pass over the fold's rows per lambda.
        var path = new RegularizationPath(Options(3));
        IReadOnlyList<float> lambdas = [0.05f, 0.01f, 0.002f];

        RegularizationPathResult fold = path.Run(SparsityProblem.Network(), Data, lambdas, fold: 1, folds: 3, progress: null, CancellationToken.None);
        Assert.All(fold.Points, p => Assert.False(p.Training.FinalEvaluated));
        Assert.All(fold.Points, p => Assert.True(double.IsFinite(p.Training.Final.Loss))); // still there when read

        // Reported (progress), or kept (the path on all the rows, which outlives the call): evaluated, so a kept point
        // does not hold a parameter snapshot and the training rows.
        var reports = new List<PathProgress>();
        RegularizationPathResult reported = path.Run(SparsityProblem.Network(), Data, lambdas, fold: 1, folds: 3, new Recorder<PathProgress>(reports), CancellationToken.None);
        Assert.All(reported.Points, p => Assert.True(p.Training.FinalEvaluated));
        Assert.Equal(reported.Points.Select(p => p.Training.Final.Loss), reports.Select(r => r.Loss));
        Assert.Equal(fold.Points.Select(p => p.Training.Final.Loss), reports.Select(r => r.Loss));

        RegularizationPathResult all = path.Run(SparsityProblem.Network(), Data, lambdas, fold: 0, folds: 3, progress: null, CancellationToken.None);
        Assert.All(all.Points, p => Assert.True(p.Training.FinalEvaluated));
    }

    [Fact]
    public void Lambda_max_zeroes_every_weight_and_half_of_it_does_not()
    {
        var path = new RegularizationPath(Options());
        DenseNetwork net = SparsityProblem.Network();
        float[] before = net.Parameters.ToArray();

        float lambdaMax = path.FindLambdaMax(net, Data);

        Assert.Equal(before, net.Parameters.ToArray());
        Assert.Equal(0, NonzeroAfterTraining(lambdaMax));
        Assert.True(NonzeroAfterTraining(lambdaMax / 2) > 0);
    }

    [Fact]
    public void The_downward_path_starts_all_zero_restarts_cold_after_an_all_zero_point_and_warm_starts_otherwise()
    {
        DenseNetwork net = SparsityProblem.Network();
        float[] before = net.Parameters.ToArray();
        var reports = new List<PathProgress>();

        RegularizationPathResult result = new RegularizationPath(Options()).Run(net, Data, new Recorder<PathProgress>(reports));

        Assert.Equal(before, net.Parameters.ToArray());
        IReadOnlyList<PathPoint> points = result.Points;
        Assert.Equal(5, points.Count);
        Assert.Equal(0, points[0].NonzeroWeights);
        Assert.False(points[0].WarmStarted);
        for (int k = 1; k < points.Count; k++)
        {
            Assert.True(points[k].Lambda < points[k - 1].Lambda);
            Assert.Equal(points[k - 1].NonzeroWeights > 0, points[k].WarmStarted);
        }

        Assert.True(points[^1].NonzeroWeights > points[1].NonzeroWeights);
        Assert.Equal(5, reports.Count(r => r.Stage == PathStage.Path));
        Assert.Contains(reports, r => r.Stage == PathStage.LambdaMaxSearch);
        Assert.Equal(points.Select(p => p.NonzeroWeights), reports.Where(r => r.Stage == PathStage.Path).Select(r => r.NonzeroWeights));
    }

    [Fact]
    public void A_warm_started_point_equals_training_from_the_previous_point()
    {
        var options = new RegularizationPathOptions { Trainer = Options().Trainer, CreateRegularizer = Regularizer.ProximalL1, Lambdas = [0.01f, 0.003f], Direction = PathDirection.WarmDownward };
        RegularizationPathResult result = new RegularizationPath(options).Run(SparsityProblem.Network(), Data);
        Assert.True(result.Points[1].WarmStarted);

        DenseNetwork net = SparsityProblem.Network();
        result.Points[0].CopyTo(net);
        new BackPropTrainer(options.Trainer, Regularizer.ProximalL1(0.003f)).Train(net, Data);
        Assert.Equal(net.Parameters.ToArray(), result.Points[1].Parameters.ToArray());
    }

    [Fact]
    public void Cold_starts_are_the_default_and_every_point_equals_one_training_from_the_initial_network()
    {
        Assert.Equal(PathDirection.ColdStarts, new RegularizationPathOptions().Direction);
        var options = new RegularizationPathOptions { Trainer = Options().Trainer, CreateRegularizer = Regularizer.ProximalL1, Lambdas = [0.03f, 0.01f, 0.003f] };
        RegularizationPathResult result = new RegularizationPath(options).Run(SparsityProblem.Network(), Data);

        for (int k = 0; k < 3; k++)
        {
            Assert.False(result.Points[k].WarmStarted);
            DenseNetwork net = SparsityProblem.Network();
            new BackPropTrainer(options.Trainer, Regularizer.ProximalL1(options.Lambdas[k])).Train(net, Data);
            Assert.Equal(net.Parameters.ToArray(), result.Points[k].Parameters.ToArray());
        }
    }

    [Fact]
    public void The_upward_path_trains_the_smallest_lambda_cold_then_each_larger_one_from_the_next_smaller()
    {
        var options = new RegularizationPathOptions { Trainer = Options().Trainer, CreateRegularizer = Regularizer.ProximalL1, Lambdas = [0.03f, 0.01f, 0.003f], Direction = PathDirection.WarmUpward };
        var reports = new List<PathProgress>();
        RegularizationPathResult result = new RegularizationPath(options).Run(SparsityProblem.Network(), Data, new Recorder<PathProgress>(reports));

        Assert.Equal([0.03f, 0.01f, 0.003f], result.Lambdas);
        Assert.Equal([2, 1, 0], reports.Select(r => r.Index));
        Assert.False(result.Points[2].WarmStarted);
        DenseNetwork net = SparsityProblem.Network();
        new BackPropTrainer(options.Trainer, Regularizer.ProximalL1(0.003f)).Train(net, Data);
        Assert.Equal(net.Parameters.ToArray(), result.Points[2].Parameters.ToArray());
        for (int k = 1; k >= 0; k--)
        {
            Assert.True(result.Points[k].WarmStarted);
            result.Points[k + 1].CopyTo(net);
            new BackPropTrainer(options.Trainer, Regularizer.ProximalL1(options.Lambdas[k])).Train(net, Data);
            Assert.Equal(net.Parameters.ToArray(), result.Points[k].Parameters.ToArray());
        }
    }

    [Fact]
    public void Runs_are_deterministic()
    {
        RegularizationPathResult a = new RegularizationPath(Options(3)).Run(SparsityProblem.Network(), Data);
        RegularizationPathResult b = new RegularizationPath(Options(3)).Run(SparsityProblem.Network(), Data);
        Assert.Equal(a.Lambdas, b.Lambdas);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(a.Points[k].Parameters.ToArray(), b.Points[k].Parameters.ToArray());
        }
    }

    [Fact]
    public void Logs_lambda_max_and_every_point_with_fixed_event_ids()
    {
        var logger = new ListLogger();
        new RegularizationPath(Options(3), logger).Run(SparsityProblem.Network(), Data);
        Assert.Single(logger.Events, e => e.Id == 41);
        Assert.Equal(3, logger.Events.Count(e => e.Id == 42));
        Assert.Contains(logger.Events, e => e.Id == 40);
    }

    [Fact]
    public void Lambda_max_found_counts_the_search_trainings_without_a_progress_report_too()
    {
        // The count was incremented inside the null-conditional progress report, so without one it logged "0 trainings".
        var logger = new CapturingLogger(LogLevel.Debug);
        new RegularizationPath(Options(), logger).FindLambdaMax(SparsityProblem.Network(), Data);

        int steps = logger.Records.Count(r => r.EventId.Id == 40);
        Assert.True(steps > 1, $"{steps} search steps");
        Assert.Equal(steps, Assert.Single(logger.Records, r => r.EventId.Id == 41).Get<int>("Trainings"));
    }

    [Fact]
    public void A_regularizer_that_never_reaches_zero_gets_a_clear_error()
    {
        var options = new RegularizationPathOptions { Trainer = new TrainerOptions { Epochs = 1 }, CreateRegularizer = Regularizer.L2 };
        DenseNetwork net = SparsityProblem.Network();
        float[] before = net.Parameters.ToArray();
        Assert.Throws<InvalidOperationException>(() => new RegularizationPath(options).FindLambdaMax(net, Data));
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void Cancellation_throws_and_restores_the_network()
    {
        DenseNetwork net = SparsityProblem.Network();
        float[] before = net.Parameters.ToArray();
        using var cts = new CancellationTokenSource();
        var progress = new Recorder<PathProgress>([], cts.Cancel);
        Assert.ThrowsAny<OperationCanceledException>(() => new RegularizationPath(Options()).Run(net, Data, progress, cts.Token));
        Assert.Equal(before, net.Parameters.ToArray());
    }

    public static TheoryData<string, RegularizationPathOptions> BadOptions => new()
    {
        { "LambdaCount", new RegularizationPathOptions { LambdaCount = 0 } },
        { "LambdaMinRatio", new RegularizationPathOptions { LambdaMinRatio = 1f } },
        { "LambdaMinRatio", new RegularizationPathOptions { LambdaMinRatio = float.NaN } },
        { "LambdaMax", new RegularizationPathOptions { LambdaMax = -1f } },
        { "LambdaMaxTolerance", new RegularizationPathOptions { LambdaMaxTolerance = 0f } },
        { "Lambdas", new RegularizationPathOptions { Lambdas = [] } },
        { "Lambdas", new RegularizationPathOptions { Lambdas = [0.1f, 0.2f] } },
        { "Lambdas", new RegularizationPathOptions { Lambdas = [0.1f, float.NaN] } },
        { "CreateRegularizer", new RegularizationPathOptions { CreateRegularizer = null! } },
        { "Trainer", new RegularizationPathOptions { Trainer = null! } },
        { "Direction", new RegularizationPathOptions { Direction = (PathDirection)3 } },
        { "Trainer", new RegularizationPathOptions { Trainer = new TrainerOptions { LayerRegularizers = [Regularizer.None] } } },
        { "Epochs", new RegularizationPathOptions { Trainer = new TrainerOptions { Epochs = 0 } } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_are_rejected_up_front(string name, RegularizationPathOptions options) =>
        Assert.Equal(name, Assert.ThrowsAny<ArgumentException>(() => new RegularizationPath(options)).ParamName);

    private static int NonzeroAfterTraining(float lambda)
    {
        DenseNetwork net = SparsityProblem.Network();
        new BackPropTrainer(Options().Trainer, Regularizer.CumulativeL1(lambda)).Train(net, Data);
        return WeightStatistics.Compute(net).Count - WeightStatistics.Compute(net).ExactZeros;
    }
}

internal sealed class Recorder<T>(List<T> items, Action? onReport = null) : IProgress<T>
{
    public void Report(T value)
    {
        items.Add(value);
        onReport?.Invoke();
    }
}

internal sealed class ListLogger : ILogger
{
    public List<(int Id, string Message)> Events { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Add((eventId.Id, formatter(state, exception)));
}
