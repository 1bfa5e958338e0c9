using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// Does a user's regularizer, written against the public <see cref="IRegularizer"/> span contract, train as fast as the
/// built-in one? One epoch per operation; the built-in L1 is the baseline.
/// </summary>
[MemoryDiagnoser]
public class UserRegularizerBenchmarks
{
    private EpochRunner _builtIn = null!;
    private EpochRunner _user = null!;

    /// <summary>Workload and batch size (see <see cref="Workloads"/>): the seed network per sample, and 784-256-10 at 256.</summary>
    [Params("a-1", "c-256")]
    public string Workload { get; set; } = "a-1";

    [GlobalSetup]
    public void Setup()
    {
        Workload workload = Workloads.Get(Workload);
        _builtIn = new EpochRunner(workload, Regularizer.L1(0.001f), 2);
        _user = new EpochRunner(workload, new HandWrittenL1(0.001f), 2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _builtIn.Dispose();
        _user.Dispose();
    }

    [Benchmark(Baseline = true)]
    public float BuiltInL1() => _builtIn.RunEpoch();

    [Benchmark]
    public float UserL1() => _user.RunEpoch();

    /// <summary>L1 by subgradient as a user writes it: a plain loop over the span, element-wise coupling declared.</summary>
    private sealed class HandWrittenL1(float lambda) : IRegularizer
    {
        public string Name => string.Create(CultureInfo.InvariantCulture, $"HandWrittenL1({lambda})");

        public RegularizerCoupling Coupling => RegularizerCoupling.None;

        public double Penalty(ReadOnlySpan<float> values, ParameterShape shape)
        {
            double sum = 0;
            foreach (float w in values)
            {
                sum += Math.Abs(w);
            }

            return lambda * sum;
        }

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
}
