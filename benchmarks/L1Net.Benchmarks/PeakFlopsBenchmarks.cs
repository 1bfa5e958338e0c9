using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// What is this machine's fp32 peak? Twelve independent Vector256 FMA chains per thread (enough to cover the FMA latency
/// on two FMA pipes), no memory traffic. Each operation is <see cref="FlopsPerThread"/> floating-point operations per
/// thread; GFLOP/s = threads * FlopsPerThread / time. (Vector512 is used by no kernel on a machine without AVX-512.)
/// </summary>
public class PeakFlopsBenchmarks
{
    private const int Iterations = 10_000_000;

    /// <summary>Floating-point operations per thread and operation: iterations x 12 FMAs x 8 lanes x 2.</summary>
    public const double FlopsPerThread = Iterations * 12.0 * 8 * 2;

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>
    /// Vector bits: 256 (the baseline of the docs' peak), or 512 on AVX-512 machines (twice the flops per operation:
    /// GFLOP/s = threads x 2 x FlopsPerThread / time).
    /// </summary>
    [Params(256, 512)]
    public int Bits { get; set; }

    [Benchmark]
    public float Fma()
    {
        if (Threads == 1)
        {
            return Bits == 512 ? Chains512(Iterations) : Chains(Iterations);
        }

        float result = 0f;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ => result += Bits == 512 ? Chains512(Iterations) : Chains(Iterations));
        return result;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains(int iterations)
    {
        Vector256<float> a0 = Vector256<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        var m = Vector256.Create(0.9999999f);
        var c = Vector256.Create(1e-7f);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c);
            a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c);
            a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c);
            a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c);
            a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }

        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).GetElement(0);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(int iterations)
    {
        Vector512<float> a0 = Vector512<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        var m = Vector512.Create(0.9999999f);
        var c = Vector512.Create(1e-7f);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }

        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).GetElement(0);
    }
}
