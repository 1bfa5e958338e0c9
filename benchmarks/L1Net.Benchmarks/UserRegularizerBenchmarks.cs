using System.Globalization;
using System.Numerics;
using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// Does a user's regularizer, written against the public <see cref="IRegularizer"/> span contract, train as fast as the
/// built-in one (issue 13, item 3)? Everything goes through the public <see cref="BackPropTrainer.Train"/>, as a user calls
/// it: one operation is one <c>Train</c> call of <see cref="EpochsPerCall"/> epochs with the trainer's default thread
/// setting; the built-in <c>Regularizer.L1</c> is the baseline.
/// </summary>
/// <remarks>
/// Seven regularizers, same strength, same network and data: the built-in; <see cref="HandWrittenL1"/>, the L1 a user
/// writes (a plain scalar loop over the span, element-wise coupling declared); <see cref="VectorizedL1"/>, the same loop
/// with <see cref="Vector{T}"/>; each of those two in <see cref="LoopTwice"/>, which runs the user's loop once more;
/// <see cref="WrappedL1"/>, a user's class that forwards to the built-in (the case that fell to the slow path when the path
/// was chosen by type); and <see cref="DeclaredL1"/>, whose subgradient is declared, not looped. Each has its own network,
/// initialised alike; they train the same data in the same order.
/// </remarks>
[MemoryDiagnoser]
public class UserRegularizerBenchmarks
{
    private Dataset _data = null!;
    private (BackPropTrainer Trainer, DenseNetwork Network) _builtIn;
    private (BackPropTrainer Trainer, DenseNetwork Network) _user;
    private (BackPropTrainer Trainer, DenseNetwork Network) _userTwice;
    private (BackPropTrainer Trainer, DenseNetwork Network) _vectorized;
    private (BackPropTrainer Trainer, DenseNetwork Network) _vectorizedTwice;
    private (BackPropTrainer Trainer, DenseNetwork Network) _wrapped;
    private (BackPropTrainer Trainer, DenseNetwork Network) _declared;

    /// <summary>Workload and batch size (see <see cref="Workloads"/>): the seed network per sample, and 784-256-10 at 256.</summary>
    [Params("a-1", "c-256")]
    public string Workload { get; set; } = "a-1";

    /// <summary>Epochs per <c>Train</c> call: enough that the call's setup and final evaluation are a small part of it.</summary>
    public int EpochsPerCall => Workload == "a-1" ? 20 : 2;

    [GlobalSetup]
    public void Setup()
    {
        Workload workload = Workloads.Get(Workload);
        _data = workload.MakeDataset();
        var options = new TrainerOptions
        {
            Epochs = EpochsPerCall,
            BatchSize = workload.BatchSize,
            LearningRate = workload.LearningRate,
            Loss = workload.Loss,
            ReportInterval = 1000,
        };
        _builtIn = (new BackPropTrainer(options, Regularizer.L1(Workloads.Lambda)), workload.MakeNetwork());
        _user = (new BackPropTrainer(options, new HandWrittenL1(Workloads.Lambda)), workload.MakeNetwork());
        _userTwice = (new BackPropTrainer(options, new LoopTwice(new HandWrittenL1(Workloads.Lambda))), workload.MakeNetwork());
        _vectorized = (new BackPropTrainer(options, new VectorizedL1(Workloads.Lambda)), workload.MakeNetwork());
        _vectorizedTwice = (new BackPropTrainer(options, new LoopTwice(new VectorizedL1(Workloads.Lambda))), workload.MakeNetwork());
        _wrapped = (new BackPropTrainer(options, new WrappedL1(Regularizer.L1(Workloads.Lambda))), workload.MakeNetwork());
        _declared = (new BackPropTrainer(options, new DeclaredL1(Workloads.Lambda)), workload.MakeNetwork());
        Warmup.Run([
            () => BuiltInL1(),
            () => UserL1(),
            () => UserL1LoopTwice(),
            () => VectorizedUserL1(),
            () => VectorizedUserL1LoopTwice(),
            () => WrappedBuiltInL1(),
            () => DeclaredUserL1(),
        ]);
    }

    [Benchmark(Baseline = true)]
    public TrainingResult BuiltInL1() => _builtIn.Trainer.Train(_builtIn.Network, _data);

    [Benchmark]
    public TrainingResult UserL1() => _user.Trainer.Train(_user.Network, _data);

    /// <summary>
    /// <see cref="UserL1"/> whose <c>AddGradient</c> runs the user's scalar loop a second time (see
    /// <see cref="VectorizedUserL1LoopTwice"/>): the difference is what the user's own call and scalar loop cost in place.
    /// </summary>
    [Benchmark]
    public TrainingResult UserL1LoopTwice() => _userTwice.Trainer.Train(_userTwice.Network, _data);

    [Benchmark]
    public TrainingResult VectorizedUserL1() => _vectorized.Trainer.Train(_vectorized.Network, _data);

    /// <summary>
    /// <see cref="VectorizedUserL1"/> whose <c>AddGradient</c> runs the user's loop a second time, into a private buffer: the
    /// difference between the two rows is what one more call of the user's code and its loop cost in place, a cost no
    /// trainer can remove (it trains to the same weights as <see cref="VectorizedUserL1"/>).
    /// </summary>
    [Benchmark]
    public TrainingResult VectorizedUserL1LoopTwice() => _vectorizedTwice.Trainer.Train(_vectorizedTwice.Network, _data);

    [Benchmark]
    public TrainingResult WrappedBuiltInL1() => _wrapped.Trainer.Train(_wrapped.Network, _data);

    [Benchmark]
    public TrainingResult DeclaredUserL1() => _declared.Trainer.Train(_declared.Network, _data);

    /// <summary>
    /// L1 by subgradient as a user writes it against the public contract only: a plain loop over the span, element-wise
    /// coupling declared (so the trainer may hand it blocks of rows), <c>sign(0) = 0</c> as the built-in.
    /// </summary>
    public sealed class HandWrittenL1(float lambda) : IRegularizer
    {
        /// <inheritdoc />
        public string Name => string.Create(CultureInfo.InvariantCulture, $"HandWrittenL1({lambda})");

        /// <inheritdoc />
        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        /// <inheritdoc />
        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape)
        {
            double sum = 0;
            foreach (float w in values)
            {
                sum += Math.Abs(w);
            }

            return lambda * sum;
        }

        /// <inheritdoc />
        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            for (int i = 0; i < values.Length; i++)
            {
                float w = values[i];
                if (w != 0f)
                {
                    gradient[i] += MathF.CopySign(lambda, w);
                }
            }
        }
    }

    /// <summary>
    /// The same L1 as a user who knows <see cref="Vector{T}"/> writes it: one vector of values at a time (whatever width the
    /// machine has), a scalar loop for the tail; public BCL API only.
    /// </summary>
    public sealed class VectorizedL1(float lambda) : IRegularizer
    {
        /// <inheritdoc />
        public string Name => string.Create(CultureInfo.InvariantCulture, $"VectorizedL1({lambda})");

        /// <inheritdoc />
        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        /// <inheritdoc />
        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape)
        {
            double sum = 0;
            foreach (float w in values)
            {
                sum += Math.Abs(w);
            }

            return lambda * sum;
        }

        /// <inheritdoc />
        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            var l1 = new Vector<float>(lambda);
            int i = 0;
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var w = new Vector<float>(values[i..]);
                Vector<float> step = Vector.AndNot(Vector.CopySign(l1, w), Vector.AsVectorSingle(Vector.Equals(w, Vector<float>.Zero)));
                (new Vector<float>(gradient[i..]) + step).CopyTo(gradient[i..]);
            }

            for (; i < values.Length; i++)
            {
                float w = values[i];
                if (w != 0f)
                {
                    gradient[i] += MathF.CopySign(lambda, w);
                }
            }
        }
    }

    /// <summary>
    /// Runs a regularizer's <c>AddGradient</c> twice per call: once on the trainer's buffer, once more on a private buffer
    /// whose sums are thrown away. Only for measuring what the regularizer's own call and loop cost: the weights train
    /// exactly as with the inner regularizer alone.
    /// </summary>
    public sealed class LoopTwice(IRegularizer inner) : IRegularizer
    {
        // One buffer per thread: with element-wise coupling the mini-batch engine calls AddGradient on blocks of rows from
        // several threads at once, and a shared buffer would bounce between the cores (and race when it grows).
        [ThreadStatic]
        private static float[]? _discard;

        /// <inheritdoc />
        public string Name => inner.Name;

        /// <inheritdoc />
        public RegularizerCoupling Coupling => inner.Coupling;

        /// <inheritdoc />
        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => inner.Penalty(values, shape);

        /// <inheritdoc />
        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
            inner.AddGradient(values, gradient, shape);
            float[] discard = _discard is { } d && d.Length >= values.Length ? d : (_discard = new float[values.Length]);

            // Not cleared between calls: its sums are never read, and a clear would add a cost of its own.
            inner.AddGradient(values, discard.AsSpan(0, values.Length), shape);
        }
    }

    /// <summary>A user's wrapper around a built-in regularizer (for example to count calls or log): it forwards every member.</summary>
    public sealed class WrappedL1(IRegularizer inner) : IRegularizer
    {
        /// <inheritdoc />
        public string Name => "Wrapped" + inner.Name;

        /// <inheritdoc />
        public RegularizerCoupling Coupling => inner.Coupling;

        /// <inheritdoc />
        public bool HasProximalStep => inner.HasProximalStep;

        /// <inheritdoc />
        public float WeightDecay => inner.WeightDecay;

        /// <inheritdoc />
        public float SignCoefficient => inner.SignCoefficient;

        /// <inheritdoc />
        public bool HasGradient => inner.HasGradient;

        /// <inheritdoc />
        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape) => inner.Penalty(values, shape);

        /// <inheritdoc />
        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape) => inner.AddGradient(values, gradient, shape);

        /// <inheritdoc />
        public void ApplyProximal(Span<float> values, ReadOnlySpan<float> stepSizes, ParameterShape shape) => inner.ApplyProximal(values, stepSizes, shape);

        /// <inheritdoc />
        public IRegularizer Bind(ParameterShape shape)
        {
            IRegularizer bound = inner.Bind(shape);
            return ReferenceEquals(bound, inner) ? this : new WrappedL1(bound);
        }
    }

    /// <summary>
    /// L1 as a user writes it who declares its subgradient through the public contract instead of adding it in a loop:
    /// <see cref="IRegularizer.SignCoefficient"/> is lambda and <see cref="IRegularizer.HasGradient"/> is false, as the
    /// built-in does; only the penalty is a loop.
    /// </summary>
    public sealed class DeclaredL1(float lambda) : IRegularizer
    {
        /// <inheritdoc />
        public string Name => string.Create(CultureInfo.InvariantCulture, $"DeclaredL1({lambda})");

        /// <inheritdoc />
        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        /// <inheritdoc />
        public float SignCoefficient => lambda;

        /// <inheritdoc />
        public bool HasGradient => false;

        /// <inheritdoc />
        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape)
        {
            double sum = 0;
            foreach (float w in values)
            {
                sum += Math.Abs(w);
            }

            return lambda * sum;
        }

        /// <inheritdoc />
        public void AddGradient(ReadOnlySpan<float> values, Span<float> gradient, ParameterShape shape)
        {
        }
    }
}
