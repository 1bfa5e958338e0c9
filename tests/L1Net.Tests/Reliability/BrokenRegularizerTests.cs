namespace L1Net.Tests.Reliability;

/// <summary>
/// A user's regularizer that misbehaves without throwing: a non-finite penalty makes the objective non-finite, which the
/// trainer documents as divergence. Train then returns <see cref="TrainingStopReason.Diverged"/> with the caller's own
/// network (bit for bit), whether or not a logger or a progress callback evaluates every epoch, and throws nothing.
/// </summary>
public sealed class BrokenRegularizerTests
{
    [Theory]
    [InlineData(double.NaN, false)]
    [InlineData(double.NaN, true)]
    [InlineData(double.PositiveInfinity, false)]
    public void A_non_finite_penalty_is_a_divergence_that_restores_the_callers_network(double penalty, bool reportEveryEpoch)
    {
        DenseNetwork network = Fixtures.Network();
        uint[] before = Fixtures.Bits(network);
        var reports = new List<EpochReport>();

        TrainingResult result = new BackPropTrainer(new TrainerOptions { Epochs = 4, LearningRate = 0.1f, ReportInterval = 1 }, new PenaltyOf(penalty))
            .Train(network, Fixtures.Data(), reportEveryEpoch ? new SyncProgress(reports.Add) : null);

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        Assert.True(result.RestoredOriginal);
        Fixtures.AssertBitIdentical(before, network);
        Assert.Empty(reports); // the first evaluated report already diverged; none was passed on
    }

    private sealed class PenaltyOf(double penalty) : IRegularizer
    {
        public string Name => "broken";

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => penalty;

        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
        }
    }
}
