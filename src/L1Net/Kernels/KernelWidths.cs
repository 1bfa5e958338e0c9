using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using L1Net.Diagnostics;
using Microsoft.Extensions.Logging;

namespace L1Net.Kernels;

/// <summary>Vector widths a kernel can be compiled for (the value is the number of float lanes).</summary>
internal enum VectorWidth
{
    /// <summary>One float at a time: no vector type is accelerated.</summary>
    Scalar = 1,

    /// <summary><see cref="Vector128{T}"/>: SSE on x64 (for example with <c>DOTNET_EnableAVX=0</c>), AdvSimd on Arm64.</summary>
    Vector128 = 4,

    /// <summary><see cref="Vector256{T}"/>: AVX2.</summary>
    Vector256 = 8,

    /// <summary><see cref="Vector512{T}"/>: AVX-512.</summary>
    Vector512 = 16,
}

/// <summary>
/// The vector width each family of kernels runs at, chosen once at start-up from what the runtime reports as
/// hardware-accelerated (<c>IsHardwareAccelerated</c>, which follows <c>DOTNET_EnableAVX512=0</c>,
/// <c>DOTNET_EnableAVX=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c>).
/// </summary>
/// <remarks>
/// <para>
/// Policy. <see cref="Gemm"/> (the mini-batch products, and the batched forward of prediction and evaluation:
/// <c>FeedForward.RunBatch</c>, behind <c>DenseNetwork.PredictBatch</c>, <c>Metrics</c> and training's epoch reports and
/// final evaluation, runs every layer through <c>Gemm.MultiplyBlocked</c>) runs at the widest accelerated width,
/// <see cref="VectorWidth.Vector512"/> included: every element of a product is one multiply-add chain over the inner
/// dimension, so the width changes only the speed, never a bit (on hardware with FMA), and on AVX-512 hardware 512-bit
/// tiles measured faster (docs/benchmarks.md). The per-sample kernels (<see cref="SampleKernels"/>: the dot products of
/// per-sample training's forward pass and of one-row <c>Predict</c>, <c>FeedForward.RunRows</c>; and the activation
/// derivatives of <see cref="ActivationKernels"/>, while the activations themselves go through <c>TensorPrimitives</c>)
/// run at most at <see cref="VectorWidth.Vector256"/>: a dot product's lanes are partial sums, so its width is part of its result,
/// and eight lanes keep the per-sample path's results the same on AVX2 and AVX-512 machines (the seed demo prints the same
/// digits on both); their vectors (a layer's inputs) are short, where 512-bit registers gain little. The element-wise
/// kernels (<see cref="Elementwise"/>: regularizer subgradients and soft-thresholding in <see cref="RegularizerKernels"/>
/// and <see cref="ProximalKernels"/>, the per-sample backward sweep <see cref="SampleGradientKernels"/>, the one-pass Adam
/// step <see cref="OptimizerKernels"/>; the SGD and elastic-net update <see cref="UpdateKernels"/> at the equal
/// <see cref="Gemm"/> width) compute every element alone, the same expression in the vector lanes and in the scalar tail,
/// so they run at the widest width.
/// </para>
/// <para>
/// Multiply-adds are fused when the hardware has FMA (x64 FMA3, every Arm64) and a multiply then an add otherwise (see
/// <see cref="IVectorOps{TVec}"/>). Results are deterministic for a given width and FMA setting.
/// </para>
/// </remarks>
internal static class KernelWidths
{
    private static int s_logged;

    /// <summary>The width of <see cref="Gemm"/>.</summary>
    public static readonly VectorWidth Gemm = Widest(allow512: true);

    /// <summary>The width of the per-sample kernels (the dot products of per-sample training and one-row prediction, the activation derivatives).</summary>
    public static readonly VectorWidth Sample = Widest(allow512: false);

    /// <summary>
    /// The width of the element-wise kernels whose every element is computed alone (the regularizer, proximal and optimizer
    /// steps and the per-sample backward sweep, <see cref="Elementwise"/>): the width changes only the speed, so the widest accelerated.
    /// </summary>
    public static readonly VectorWidth Elementwise = Widest(allow512: true);

    /// <summary>Whether multiply-adds are fused (one rounding).</summary>
    public static bool FusedMultiplyAdd => KernelMath.FusedHardware;

    /// <summary>The instruction set family, for the log: x64 or Arm64 and the extensions in use.</summary>
    public static string InstructionSets =>
        AdvSimd.IsSupported ? "Arm64 AdvSimd"
        : Avx512F.IsSupported ? "x64 AVX-512F, AVX2, FMA"
        : Avx2.IsSupported ? (Fma.IsSupported ? "x64 AVX2, FMA" : "x64 AVX2")
        : Sse2.IsSupported ? "x64 SSE (no AVX, no FMA)"
        : "no hardware intrinsics";

    /// <summary>Logs the choice through <paramref name="logger"/> (at Debug level) the first time a listening logger is passed in the process.</summary>
    public static void LogOnce(ILogger logger)
    {
        if (logger.IsEnabled(LogLevel.Debug) && Interlocked.Exchange(ref s_logged, 1) == 0)
        {
            Log.KernelWidthsChosen(logger, (int)Gemm * 32, (int)Sample * 32, FusedMultiplyAdd, InstructionSets);
        }
    }

    private static VectorWidth Widest(bool allow512) =>
        allow512 && Vector512.IsHardwareAccelerated ? VectorWidth.Vector512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Vector256
        : Vector128.IsHardwareAccelerated ? VectorWidth.Vector128
        : VectorWidth.Scalar;
}
