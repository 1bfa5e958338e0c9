using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace L1Net.Benchmarks;

/// <summary>
/// How fast can one core read the weights that one-row <see cref="DenseNetwork.Predict"/> needs? <c>Predict</c> of one row
/// on 784-256-10 reads every parameter once (203,530 floats, 814 KB: in the L2 cache once warm, not in the L1) for
/// 406,528 flop, 0.5 flop per byte, so its speed is bounded by the L2 read bandwidth, not by the FMA peak. This reads
/// the same parameter array, warm, with no arithmetic beyond the additions that keep the loads alive: its time is the
/// least a <c>Predict</c> that reads each weight once can take. GB/s = 814,120 / time; the bound on <c>Predict</c> in
/// GFLOP/s = 406,528 / time.
/// </summary>
public class WeightStreamBenchmarks
{
    private float[] _parameters = null!;

    /// <summary>How the array is read: one stream of 512-bit loads, or 8 or 16 row streams of 256-bit loads (as <c>Predict</c>'s eight-row dot products read W).</summary>
    [Params("1 x 512-bit", "8 rows x 256-bit", "16 rows x 256-bit")]
    public string Pattern { get; set; } = "1 x 512-bit";

    [GlobalSetup]
    public void Setup()
    {
        DenseNetwork network = Workloads.Get("c-256").MakeNetwork();
        _parameters = network.Parameters.ToArray();
    }

    /// <summary>One pass over the parameters.</summary>
    [Benchmark]
    public float Read() => Pattern switch
    {
        "1 x 512-bit" => OneStream(_parameters),
        "8 rows x 256-bit" => RowStreams(_parameters, 8),
        _ => RowStreams(_parameters, 16),
    };

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float OneStream(float[] a)
    {
        ref float r = ref a[0];
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int i = 0;
        for (; i + 64 <= a.Length; i += 64)
        {
            s0 += Vector512.LoadUnsafe(ref r, (nuint)i);
            s1 += Vector512.LoadUnsafe(ref r, (nuint)(i + 16));
            s2 += Vector512.LoadUnsafe(ref r, (nuint)(i + 32));
            s3 += Vector512.LoadUnsafe(ref r, (nuint)(i + 48));
        }

        float sum = Vector512.Sum(s0 + s1 + s2 + s3);
        for (; i < a.Length; i++)
        {
            sum += a[i];
        }

        return sum;
    }

    /// <summary>Reads rows of 784 floats, <paramref name="streams"/> rows side by side (the first layer's weights as the one-row dot products read them), then the rest in one stream.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float RowStreams(float[] a, int streams)
    {
        const int n = 784;
        ref float r = ref a[0];
        Vector256<float> total = default;
        for (int o = 0; o + streams <= 256; o += streams)
        {
            ref float w = ref Unsafe.Add(ref r, o * n);
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (int i = 0; i + 8 <= n; i += 8)
            {
                nuint u = (nuint)i;
                s0 += Vector256.LoadUnsafe(ref w, u);
                s1 += Vector256.LoadUnsafe(ref w, u + n);
                s2 += Vector256.LoadUnsafe(ref w, u + (2 * n));
                s3 += Vector256.LoadUnsafe(ref w, u + (3 * n));
                s4 += Vector256.LoadUnsafe(ref w, u + (4 * n));
                s5 += Vector256.LoadUnsafe(ref w, u + (5 * n));
                s6 += Vector256.LoadUnsafe(ref w, u + (6 * n));
                s7 += Vector256.LoadUnsafe(ref w, u + (7 * n));
                if (streams == 16)
                {
                    ref float v = ref Unsafe.Add(ref w, 8 * n);
                    s0 += Vector256.LoadUnsafe(ref v, u);
                    s1 += Vector256.LoadUnsafe(ref v, u + n);
                    s2 += Vector256.LoadUnsafe(ref v, u + (2 * n));
                    s3 += Vector256.LoadUnsafe(ref v, u + (3 * n));
                    s4 += Vector256.LoadUnsafe(ref v, u + (4 * n));
                    s5 += Vector256.LoadUnsafe(ref v, u + (5 * n));
                    s6 += Vector256.LoadUnsafe(ref v, u + (6 * n));
                    s7 += Vector256.LoadUnsafe(ref v, u + (7 * n));
                }
            }

            total += s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        }

        float sum = Vector256.Sum(total);
        for (int i = 256 * n; i < a.Length; i++)
        {
            sum += a[i];
        }

        return sum;
    }
}
