using System.Runtime.CompilerServices;

namespace L1Net;

/// <summary>Argument checks shared by every public entry point; each throws an ArgumentException-family error naming the parameter.</summary>
internal static class Guard
{
    public static void Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be positive, but was {value}.");
        }
    }

    public static void Positive(float value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!float.IsFinite(value) || value <= 0f)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a finite number greater than zero, but was {value}.");
        }
    }

    public static void NonNegative(float value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!float.IsFinite(value) || value < 0f)
        {
            throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a finite number greater than or equal to zero, but was {value}.");
        }
    }

    public static void AllFinite(ReadOnlySpan<float> values, string name)
    {
        int bad = IndexOfNonFinite(values);
        if (bad >= 0)
        {
            throw new ArgumentException($"'{name}' must contain only finite numbers, but element {bad} is {values[bad]}.", name);
        }
    }

    public static void Length(ReadOnlySpan<float> values, int expected, string name)
    {
        if (values.Length != expected)
        {
            throw new ArgumentException($"'{name}' must have length {expected}, but has length {values.Length}.", name);
        }
    }

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or -1 (vectorized: <see cref="Kernels.FiniteKernels"/>).</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values) => Kernels.FiniteKernels.IndexOfNonFinite(values);
}
