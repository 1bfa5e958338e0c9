namespace L1Net.Training;

/// <summary>
/// Settings of a <see cref="BackPropTrainer"/>. Every property has a default; all are validated when the trainer is
/// created, and a bad value throws an <see cref="ArgumentException"/> naming the property.
/// </summary>
public sealed class TrainerOptions
{
    /// <summary>Number of passes over the data. Default 100; at least 1.</summary>
    public int Epochs { get; init; } = 100;

    private readonly float _learningRate = 0.01f;
    private readonly float _momentum;
    private readonly bool _sgdSettingsGiven;

    /// <summary>
    /// Step size of the default optimizer, SGD: <c>w -= LearningRate * gradient</c>. Default 0.01; finite and greater than 0.
    /// Shorthand for <c>Optimizer = Optimizer.Sgd(LearningRate, Momentum)</c>; may not be set together with
    /// <see cref="Optimizer"/>.
    /// </summary>
    public float LearningRate
    {
        get => _learningRate;
        init
        {
            _learningRate = value;
            _sgdSettingsGiven = true;
        }
    }

    /// <summary>
    /// Rows per update. 1 (the default) is per-sample stochastic gradient descent, as in the seed article; larger values
    /// average the data gradient over the batch (the last batch of an epoch may be smaller). At least 1.
    /// </summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>
    /// Heavy-ball momentum <c>mu</c> of the default optimizer, SGD: <c>v = mu v + gradient; w -= rate v</c> (<c>v = gradient</c>
    /// at the first step), where the gradient includes the regularizer's smooth part. Default 0 (plain SGD); finite, in
    /// [0, 1). May not be set together with <see cref="Optimizer"/>.
    /// </summary>
    public float Momentum
    {
        get => _momentum;
        init
        {
            _momentum = value;
            _sgdSettingsGiven = true;
        }
    }

    /// <summary>
    /// The optimizer: how a step moves the parameters (<see cref="L1Net.Optimization.Optimizer.Sgd"/>, <see cref="L1Net.Optimization.Optimizer.Adam"/>,
    /// <see cref="L1Net.Optimization.Optimizer.AdamW"/>, or your own <see cref="IOptimizer"/>). Its state (velocity, moments) starts fresh in
    /// every training call. Default null: <c>Optimizer.Sgd(LearningRate, Momentum)</c>. Setting it together with
    /// <see cref="LearningRate"/> or <see cref="Momentum"/> is an error, as one of them would be ignored.
    /// </summary>
    public IOptimizer? Optimizer { get; init; }

    /// <summary>The optimizer training uses: <see cref="Optimizer"/>, or SGD with <see cref="LearningRate"/> and <see cref="Momentum"/>.</summary>
    internal IOptimizer EffectiveOptimizer => Optimizer ?? L1Net.Optimization.Optimizer.Sgd(LearningRate, Momentum);

    /// <summary>The loss minimised and reported. Default <see cref="LossFunction.CrossEntropy"/>.</summary>
    public LossFunction Loss { get; init; } = LossFunction.CrossEntropy;

    /// <summary>Seed of the default shuffled sample order. Default 0. The same seed gives bit-identical results.</summary>
    public int Seed { get; init; }

    /// <summary>Sample-order seam. Default null: rows are shuffled every epoch by a fresh <see cref="ShuffledSampleOrder"/> seeded with <see cref="Seed"/>.</summary>
    public ISampleOrder? SampleOrder { get; init; }

    /// <summary>Output-error seam. Default null: the true gradient of <see cref="Loss"/> through the output activation.</summary>
    public IOutputErrorRule? OutputErrorRule { get; init; }

    /// <summary>Whether biases are regularized too. Default false: only weights are.</summary>
    public bool RegularizeBiases { get; init; }

    /// <summary>
    /// Per-layer regularizers, one per layer (first hidden layer first), overriding the trainer's regularizer: the way to give
    /// layers different strengths. Default null: every layer uses the trainer's regularizer. The options keep a copy of the
    /// list: changing the list given here afterwards changes nothing.
    /// </summary>
    public IReadOnlyList<IRegularizer>? LayerRegularizers
    {
        get => _layerRegularizers;
        init => _layerRegularizers = value is null ? null : Array.AsReadOnly(value.ToArray());
    }

    private readonly IReadOnlyList<IRegularizer>? _layerRegularizers;

    /// <summary>
    /// Log (and record the <see cref="TrainingTelemetry.LossInstrument"/> and <see cref="TrainingTelemetry.NonzeroWeightsInstrument"/>
    /// gauges) every this many epochs, and after the last one; also the progress interval unless
    /// <see cref="ProgressInterval"/> is set. Each report costs one evaluation pass over the data. Default 10; at least 1.
    /// </summary>
    public int ReportInterval { get; init; } = 10;

    /// <summary>
    /// Report to the <see cref="IProgress{T}"/> given to <see cref="BackPropTrainer.Train"/> every this many epochs, and
    /// after the last one, independently of the logging interval: a smooth progress bar (1) need not flood the log. Each
    /// report costs one evaluation pass over the data (shared with logging in epochs where both are due). Default null: the
    /// <see cref="ReportInterval"/>; otherwise at least 1.
    /// </summary>
    public int? ProgressInterval { get; init; }

    /// <summary>
    /// Early stopping on a validation set: checked at the end of every <see cref="EarlyStoppingOptions.CheckInterval"/>-th
    /// epoch; the network ends with the parameters of the best check. Default null: every epoch runs.
    /// </summary>
    public EarlyStoppingOptions? EarlyStopping { get; init; }

    /// <summary>
    /// Most threads a mini-batch step may use (<c>BatchSize</c> &gt; 1; per-sample SGD always runs on the calling thread).
    /// Default -1: one per processor. Small steps run on one thread whatever the setting. The threads claim chunks of each
    /// step's work (whole tiles of output elements) as they get to them, and every element is summed in one fixed order
    /// whichever thread computes it, so results are bit-identical for any value and any timing. -1 or at least 1.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>The number of threads <see cref="MaxDegreeOfParallelism"/> allows on this machine.</summary>
    internal int EffectiveDegreeOfParallelism =>
        MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Min(MaxDegreeOfParallelism, Environment.ProcessorCount);

    /// <summary>Throws if any setting is out of range.</summary>
    internal void Validate()
    {
        if (Epochs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, $"'{nameof(Epochs)}' must be at least 1, but was {Epochs}.");
        }

        if (!float.IsFinite(LearningRate) || LearningRate <= 0f)
        {
            throw Guard.OutOfRange(nameof(LearningRate), LearningRate, Guard.Text($"'{nameof(LearningRate)}' must be a finite number greater than 0, but was {LearningRate}."));
        }

        if (BatchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"'{nameof(BatchSize)}' must be at least 1, but was {BatchSize}.");
        }

        if (!float.IsFinite(Momentum) || Momentum < 0f || Momentum >= 1f)
        {
            throw Guard.OutOfRange(nameof(Momentum), Momentum, Guard.Text($"'{nameof(Momentum)}' must be in [0, 1), but was {Momentum}."));
        }

        if (Optimizer is not null && _sgdSettingsGiven)
        {
            throw new ArgumentException($"'{nameof(Optimizer)}' was set together with '{nameof(LearningRate)}' or '{nameof(Momentum)}', which configure the default SGD optimizer only; give the learning rate and momentum to the optimizer instead (for example Optimizer.Sgd(learningRate, momentum)).", nameof(Optimizer));
        }

        if (!LossFunctions.IsDefined(Loss))
        {
            throw new ArgumentOutOfRangeException(nameof(Loss), Loss, $"'{nameof(Loss)}' is not a defined LossFunction value.");
        }

        if (ReportInterval <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ReportInterval), ReportInterval, $"'{nameof(ReportInterval)}' must be at least 1, but was {ReportInterval}.");
        }

        if (ProgressInterval is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, $"'{nameof(ProgressInterval)}' must be null (the report interval) or at least 1, but was {ProgressInterval}.");
        }

        EarlyStopping?.Validate();

        if (MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, $"'{nameof(MaxDegreeOfParallelism)}' must be -1 (one thread per processor) or at least 1, but was {MaxDegreeOfParallelism}.");
        }

        if (LayerRegularizers is not null)
        {
            for (int i = 0; i < LayerRegularizers.Count; i++)
            {
                if (LayerRegularizers[i] is null)
                {
                    throw new ArgumentException($"'{nameof(LayerRegularizers)}' entry {i} is null; use Regularizer.None for an unregularized layer.", nameof(LayerRegularizers));
                }
            }
        }
    }
}
