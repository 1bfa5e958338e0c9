using System.Reflection;

namespace L1Net.Networks;

/// <summary>
/// How a <see cref="ClassificationModel"/> was trained: the regularizer and its lambda, the trainer's settings, the seed,
/// the library version, the number of training rows and the date. Saved with the model; every member is informational.
/// </summary>
public sealed record ModelProvenance
{
    /// <summary>The regularizer's <see cref="IRegularizer.Name"/>, for example <c>L1(0.001)</c>. Default empty.</summary>
    public string Regularizer { get; init; } = string.Empty;

    /// <summary>The regularization strength lambda, when one applies (null for no regularizer or an unknown one).</summary>
    public float? Lambda { get; init; }

    /// <summary>Epochs trained (<see cref="TrainerOptions.Epochs"/>).</summary>
    public int Epochs { get; init; }

    /// <summary>
    /// The optimizer's description (<see cref="IOptimizer.Name"/>), for example <c>Adam(lr=0.001, betas=(0.9, 0.999), eps=1E-08)</c>;
    /// for the default optimizer, the SGD made from <see cref="TrainerOptions.LearningRate"/> and <see cref="TrainerOptions.Momentum"/>.
    /// </summary>
    public string Optimizer { get; init; } = string.Empty;

    /// <summary>The optimizer's learning rate (<see cref="IOptimizer.LearningRate"/>).</summary>
    public float LearningRate { get; init; }

    /// <summary><see cref="TrainerOptions.BatchSize"/>.</summary>
    public int BatchSize { get; init; }

    /// <summary><see cref="TrainerOptions.Momentum"/> (0 when <see cref="TrainerOptions.Optimizer"/> was given: its momentum is in <see cref="Optimizer"/>).</summary>
    public float Momentum { get; init; }

    /// <summary><see cref="TrainerOptions.Loss"/>.</summary>
    public LossFunction Loss { get; init; }

    /// <summary><see cref="TrainerOptions.RegularizeBiases"/>.</summary>
    public bool RegularizeBiases { get; init; }

    /// <summary>The seed of the sample order (<see cref="TrainerOptions.Seed"/>).</summary>
    public int Seed { get; init; }

    /// <summary>The L1Net version that trained the model, for example <c>0.1.0</c>. Default this library's <see cref="CurrentLibraryVersion"/>.</summary>
    public string LibraryVersion { get; init; } = CurrentLibraryVersion;

    /// <summary>The number of rows the model was trained on.</summary>
    public int TrainingRows { get; init; }

    /// <summary>When the model was trained (UTC).</summary>
    public DateTimeOffset TrainedAt { get; init; }

    /// <summary>Free text, for example the data file or how lambda was chosen. Default empty.</summary>
    public string Notes { get; init; } = string.Empty;

    /// <summary>The members as the compiler's record text (<c>ModelProvenance { ... }</c>), every number and the date in the invariant culture.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => InvariantText.Record(nameof(ModelProvenance), PrintMembers);

    /// <summary>This library's version (its informational version without a build suffix).</summary>
    public static string CurrentLibraryVersion { get; } = ReadVersion();

    /// <summary>Describes a training run from the trainer that ran it.</summary>
    /// <param name="trainer">The trainer (its options and regularizer).</param>
    /// <param name="trainingRows">The number of training rows; at least 1.</param>
    /// <param name="lambda">The regularizer's lambda, when one applies.</param>
    /// <param name="timeProvider">The clock for <see cref="TrainedAt"/>; default the system clock.</param>
    /// <returns>The provenance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="trainer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trainingRows"/> is below 1.</exception>
    public static ModelProvenance From(BackPropTrainer trainer, int trainingRows, float? lambda = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainingRows, 1);
        TrainerOptions o = trainer.Options;
        IOptimizer optimizer = o.EffectiveOptimizer;
        return new ModelProvenance
        {
            Regularizer = trainer.Regularizer.Name,
            Lambda = lambda,
            Epochs = o.Epochs,
            Optimizer = optimizer.Name,
            LearningRate = optimizer.LearningRate,
            BatchSize = o.BatchSize,
            Momentum = o.Momentum,
            Loss = o.Loss,
            RegularizeBiases = o.RegularizeBiases,
            Seed = o.Seed,
            TrainingRows = trainingRows,
            TrainedAt = (timeProvider ?? TimeProvider.System).GetUtcNow(),
        };
    }

    private static string ReadVersion()
    {
        string? version = typeof(ModelProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        version ??= typeof(ModelProvenance).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
