namespace L1Net.Selection;

/// <summary>The state of early stopping during one training call: best validation loss, its epoch and its parameters.</summary>
internal sealed class EarlyStoppingMonitor
{
    private readonly EarlyStoppingOptions _options;
    private readonly float[] _best;
    private int _checksWithoutImprovement;

    public EarlyStoppingMonitor(EarlyStoppingOptions options, int parameterCount)
    {
        _options = options;
        _best = new float[parameterCount];
    }

    public Dataset Validation => _options.Validation;

    public int BestEpoch { get; private set; }

    public double BestLoss { get; private set; } = double.NaN;

    public bool IsDue(int epoch) => epoch % _options.CheckInterval == 0;

    /// <summary>Records one check; returns true when patience has run out.</summary>
    public bool Observe(int epoch, ReadOnlySpan<float> parameters, double validationLoss)
    {
        if (BestEpoch == 0 || validationLoss < BestLoss - _options.Tolerance)
        {
            BestLoss = validationLoss;
            BestEpoch = epoch;
            parameters.CopyTo(_best);
            _checksWithoutImprovement = 0;
            return false;
        }

        return ++_checksWithoutImprovement >= _options.Patience;
    }

    /// <summary>Writes the best parameters back, if any check was made.</summary>
    public void RestoreBest(Span<float> parameters)
    {
        if (BestEpoch > 0)
        {
            _best.CopyTo(parameters);
        }
    }
}
