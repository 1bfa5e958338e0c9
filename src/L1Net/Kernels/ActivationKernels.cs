using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace L1Net.Kernels;

/// <summary>Activations and their derivatives on whole spans, built on <see cref="TensorPrimitives"/>.</summary>
internal static class ActivationKernels
{
    /// <summary>Computes <c>a = f(z)</c> for one layer's pre-activations; <paramref name="z"/> and <paramref name="a"/> may be the same span.</summary>
    public static void Apply(Activation activation, ReadOnlySpan<float> z, Span<float> a)
    {
        if (z.IsEmpty)
        {
            // TensorPrimitives.Sigmoid and Max throw on empty spans; an empty layer has nothing to do.
            return;
        }

        switch (activation)
        {
            case Activation.Identity:
                if (!z.Overlaps(a))
                {
                    z.CopyTo(a);
                }

                break;
            case Activation.Tanh:
                Tanh(z, a);
                break;
            case Activation.Sigmoid:
                TensorPrimitives.Sigmoid(z, a);
                break;
            case Activation.ReLU:
                TensorPrimitives.Max(z, 0f, a);
                break;
            case Activation.Softmax:
                Softmax(z, a);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    /// <summary>
    /// <c>a = tanh(z)</c> with the bits of <see cref="TensorPrimitives.Tanh{T}(ReadOnlySpan{T}, Span{T})"/>, without its
    /// general driver: on a per-sample step's layer of a few units the driver's set-up cost as much as a third of the
    /// function (measured at a-1, 8 hidden units). <paramref name="z"/> and <paramref name="a"/> may be the same span; spans
    /// that overlap without starting at the same place are refused, as <c>TensorPrimitives</c> refuses them.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Where <c>TensorPrimitives</c> computes with vectors (at least four values, a 128-bit vector accelerated), every value
    /// goes through its vector formula (AOCL's <c>vrs4_tanhf</c>): <c>y = |x|</c>, <c>z = e^(-2y) - 1</c>,
    /// <c>tanh = sign(x) xor (-z / (z + 2))</c>, with the runtime's vector exponential. Each lane computes the same
    /// operations, so the width and a value's position do not matter: whole vectors of the widest accelerated width that
    /// fits, then one last vector ending at the last value (computed before anything is stored, so in place is safe), as
    /// <c>TensorPrimitives</c> does. Below that it calls <c>TensorPrimitives</c>, whose scalar form is <see cref="MathF.Tanh"/>
    /// (the C runtime's).
    /// </para>
    /// <para>
    /// The per-sample engine's hidden activations, the seed run's included, therefore keep their digits; the tests compare
    /// this kernel with <c>TensorPrimitives.Tanh</c> bit for bit over every length to 70 and across the function's range
    /// (and the suite runs under every instruction-set setting).
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Tanh(ReadOnlySpan<float> z, Span<float> a)
    {
        int n = z.Length;
        if (a.Length < n)
        {
            throw new ArgumentException("The output is shorter than the input.", nameof(a));
        }

        if (z.Overlaps(a, out int offset) && offset != 0)
        {
            // TensorPrimitives refuses these too; the overlapping last vector would read values already written.
            throw new ArgumentException("The input and the output overlap without starting at the same place.", nameof(a));
        }

        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Tanh<Vec512Ops, Vector512<float>>(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(a), n);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            Tanh<Vec256Ops, Vector256<float>>(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(a), n);
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<float>.Count)
        {
            Tanh<Vec128Ops, Vector128<float>>(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(a), n);
        }
        else
        {
            TensorPrimitives.Tanh(z, a);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tanh<TOps, TVec>(ref float z, ref float a, int n)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        nuint count = (nuint)TOps.Count;
        nuint lastStart = (nuint)n - count;
        TVec last = TanhVector<TOps, TVec>(TOps.Load(ref z, lastStart)); // before any store: z may be a
        for (nuint i = 0; i < lastStart; i += count)
        {
            TOps.Store(TanhVector<TOps, TVec>(TOps.Load(ref z, i)), ref a, i);
        }

        TOps.Store(last, ref a, lastStart);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec TanhVector<TOps, TVec>(TVec x)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        TVec z = TOps.Subtract(TOps.Exp(TOps.Multiply(TOps.Broadcast(-2f), TOps.Abs(x))), TOps.Broadcast(1f));
        return TOps.XorSign(TOps.Divide(TOps.Negate(z), TOps.Add(z, TOps.Broadcast(2f))), x);
    }

    /// <summary>Numerically stable softmax: <c>a_k = exp(z_k - max z) / sum_j exp(z_j - max z)</c>.</summary>
    /// <remarks>
    /// Compiled on its own (never inlined into <see cref="Apply"/>): inlined, it used up the JIT's inlining budget of
    /// <see cref="Apply"/>, whose <c>TensorPrimitives.Tanh</c> then called its exponential instead of inlining it.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Softmax(ReadOnlySpan<float> z, Span<float> a)
    {
        // The largest z in a plain loop: an output layer is a handful of units, where the library call costs more than the
        // comparisons. MathF.Max propagates NaN as TensorPrimitives.Max does; the two may differ only in the sign of a zero
        // maximum, which z - max then cannot tell apart (exp(+0) = exp(-0) = 1).
        if (z.IsEmpty)
        {
            throw new ArgumentException("A softmax needs at least one value.", nameof(z));
        }

        float max = z[0];
        for (int k = 1; k < z.Length; k++)
        {
            max = MathF.Max(max, z[k]);
        }

        if (Vector128.IsHardwareAccelerated && z.Length <= Vector128<float>.Count)
        {
            ShortSoftmax(z, a, max);
            return;
        }

        TensorPrimitives.Subtract(z, max, a);
        TensorPrimitives.Exp(a, a);
        float sum = TensorPrimitives.Sum(a);

        // One correctly rounded division per value, the bits of TensorPrimitives.Divide, with scalar stores: the loss and
        // the output error read these values one at a time right after, and a wide or masked store cannot be forwarded
        // to those loads.
        Span<float> output = a[..z.Length];
        for (int k = 0; k < output.Length; k++)
        {
            output[k] /= sum;
        }
    }

    /// <summary>
    /// The softmax of a row of at most four values (the seed network's output layer, any problem of up to four classes) in
    /// one 128-bit vector, without the four library calls whose set-up costs more than their work on four values:
    /// <c>z - max</c> in the lanes (unused lanes <c>-inf - max = -inf</c>, whose exponential is 0), <see cref="Vector128.Exp(Vector128{float})"/>
    /// (the function <c>TensorPrimitives.Exp</c> runs on every 128-bit vector; where 256-bit vectors are accelerated, the
    /// same lanes through <see cref="Vector256.Exp(Vector256{float})"/>, which computes each lane alike and gives the same bits
    /// (tested over the exponential's whole range) in about three quarters of the time (perf samples at a-1): the 128-bit form widens to two 128-bit
    /// double vectors and leaves one multiply-add as a call), the lane sum
    /// <see cref="Vector128.Sum{T}(Vector128{T})"/> (what <c>TensorPrimitives.Sum</c> returns for one vector), then one
    /// correctly rounded division per value. For four values these are <c>TensorPrimitives</c>' bits (tested); for two or
    /// three, where <c>TensorPrimitives</c> falls back to the scalar <c>MathF.Exp</c> of the C runtime, the vector exponential's
    /// (managed code, the same on every operating system).
    /// </summary>
    private static void ShortSoftmax(ReadOnlySpan<float> z, Span<float> a, float max)
    {
        int n = z.Length;
        if (a.Length < n)
        {
            throw new ArgumentException("The output is shorter than the input.", nameof(a));
        }

        ref float zr = ref MemoryMarshal.GetReference(z);
        Vector128<float> shifted = n == 4
            ? Vector128.LoadUnsafe(ref zr)
            : Vector128.Create(zr, n > 1 ? Unsafe.Add(ref zr, 1) : float.NegativeInfinity, n > 2 ? Unsafe.Add(ref zr, 2) : float.NegativeInfinity, float.NegativeInfinity);
        Vector128<float> e = Vector256.IsHardwareAccelerated
            ? Vector256.Exp((shifted - Vector128.Create(max)).ToVector256()).GetLower()
            : Vector128.Exp(shifted - Vector128.Create(max));

        // One correctly rounded division per lane (the bits of a scalar division), stored one value at a time: the loss
        // and the output error read them one at a time right after.
        Vector128<float> q = e / Vector128.Create(Vector128.Sum(e));
        ref float ar = ref MemoryMarshal.GetReference(a);
        ar = q.ToScalar();
        if (n > 1)
        {
            Unsafe.Add(ref ar, 1) = q.GetElement(1);
            if (n > 2)
            {
                Unsafe.Add(ref ar, 2) = q.GetElement(2);
                if (n > 3)
                {
                    Unsafe.Add(ref ar, 3) = q.GetElement(3);
                }
            }
        }
    }

    /// <summary>
    /// Multiplies <paramref name="delta"/> in place by <c>f'(z)</c>, written in terms of the layer's output <paramref name="a"/>
    /// (tanh: <c>1 - a^2</c>; sigmoid: <c>a (1 - a)</c>; ReLU: <c>a &gt; 0</c>; identity: 1). Not defined for softmax, whose Jacobian is not diagonal.
    /// </summary>
    public static void MultiplyByDerivative(Activation activation, ReadOnlySpan<float> a, Span<float> delta)
    {
        if (a.Length < delta.Length)
        {
            throw new ArgumentException("The activations are shorter than the errors.", nameof(a));
        }

        if (activation is not (Activation.Identity or Activation.Tanh or Activation.Sigmoid or Activation.ReLU))
        {
            throw new ArgumentOutOfRangeException(nameof(activation));
        }

        switch (KernelWidths.Sample)
        {
            case VectorWidth.Vector512:
                MultiplyByDerivative<Vec512Ops, Vector512<float>>(activation, a, delta);
                break;
            case VectorWidth.Vector256:
                MultiplyByDerivative<Vec256Ops, Vector256<float>>(activation, a, delta);
                break;
            case VectorWidth.Vector128:
                MultiplyByDerivative<Vec128Ops, Vector128<float>>(activation, a, delta);
                break;
            default:
                MultiplyByDerivative<ScalarOps, float>(activation, a, delta);
                break;
        }
    }

    private static void MultiplyByDerivative<TOps, TVec>(Activation activation, ReadOnlySpan<float> a, Span<float> delta)
        where TOps : IVectorOps<TVec>
        where TVec : struct
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float dr = ref MemoryMarshal.GetReference(delta);
        int n = delta.Length;
        int v = TOps.Count;
        int i = 0;
        TVec one = TOps.Broadcast(1f);
        switch (activation)
        {
            case Activation.Tanh:
                // delta *= (1 - a)(1 + a), the form the seed listing uses.
                for (; i + v <= n; i += v)
                {
                    TVec av = TOps.Load(ref ar, (nuint)i);
                    TOps.Store(TOps.Multiply(TOps.Load(ref dr, (nuint)i), TOps.Multiply(TOps.Subtract(one, av), TOps.Add(one, av))), ref dr, (nuint)i);
                }

                for (; i < n; i++)
                {
                    float ai = Unsafe.Add(ref ar, i);
                    Unsafe.Add(ref dr, i) *= (1f - ai) * (1f + ai);
                }

                break;
            case Activation.Sigmoid:
                for (; i + v <= n; i += v)
                {
                    TVec av = TOps.Load(ref ar, (nuint)i);
                    TOps.Store(TOps.Multiply(TOps.Load(ref dr, (nuint)i), TOps.Multiply(av, TOps.Subtract(one, av))), ref dr, (nuint)i);
                }

                for (; i < n; i++)
                {
                    float ai = Unsafe.Add(ref ar, i);
                    Unsafe.Add(ref dr, i) *= ai * (1f - ai);
                }

                break;
            case Activation.ReLU:
                for (; i + v <= n; i += v)
                {
                    TOps.Store(TOps.KeepWherePositive(TOps.Load(ref dr, (nuint)i), TOps.Load(ref ar, (nuint)i)), ref dr, (nuint)i);
                }

                for (; i < n; i++)
                {
                    if (Unsafe.Add(ref ar, i) <= 0f)
                    {
                        Unsafe.Add(ref dr, i) = 0f;
                    }
                }

                break;
        }
    }
}
