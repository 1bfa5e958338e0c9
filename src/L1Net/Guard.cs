using System.Globalization;
using System.Runtime.CompilerServices;

namespace L1Net;

/// <summary>
/// Argument checks shared by every public entry point; each throws an ArgumentException-family error naming the parameter.
/// Every number in a message is written in the invariant culture, so a message reads the same on every machine.
/// </summary>
internal static class Guard
{
    public static void Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            throw OutOfRange(name, value, Text($"'{name}' must be positive, but was {value}."));
        }
    }

    public static void Positive(float value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!float.IsFinite(value) || value <= 0f)
        {
            throw OutOfRange(name, value, Text($"'{name}' must be a finite number greater than zero, but was {value}."));
        }
    }

    public static void NonNegative(float value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!float.IsFinite(value) || value < 0f)
        {
            throw OutOfRange(name, value, Text($"'{name}' must be a finite number greater than or equal to zero, but was {value}."));
        }
    }

    public static void AllFinite(ReadOnlySpan<float> values, string name)
    {
        int bad = IndexOfNonFinite(values);
        if (bad >= 0)
        {
            throw new ArgumentException(Text($"'{name}' must contain only finite numbers, but element {bad} is {values[bad]}."), name);
        }
    }

    public static void Length(ReadOnlySpan<float> values, int expected, string name)
    {
        if (values.Length != expected)
        {
            throw new ArgumentException(Text($"'{name}' must have length {expected}, but has length {values.Length}."), name);
        }
    }

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or -1 (vectorized: <see cref="Kernels.FiniteKernels"/>).</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values) => Kernels.FiniteKernels.IndexOfNonFinite(values);

    /// <summary>
    /// An <see cref="ArgumentOutOfRangeException"/> for a floating-point value. Its <see cref="ArgumentOutOfRangeException.ActualValue"/>
    /// is the value written in the invariant culture (a string): the runtime formats a boxed number into
    /// <see cref="Exception.Message"/> with the culture current when the message is read, which would print <c>-0,5</c>
    /// under de-DE.
    /// </summary>
    public static ArgumentOutOfRangeException OutOfRange(string? name, double value, string message) =>
        new(name, value.ToString(CultureInfo.InvariantCulture), message);

    /// <inheritdoc cref="OutOfRange(string?, double, string)"/>
    public static ArgumentOutOfRangeException OutOfRange(string? name, float value, string message) =>
        new(name, value.ToString(CultureInfo.InvariantCulture), message);

    /// <summary>
    /// An <see cref="ArgumentOutOfRangeException"/> for a whole number, its <see cref="ArgumentOutOfRangeException.ActualValue"/>
    /// the value written in the invariant culture (a string): a boxed negative integer would be formatted into the message with
    /// the culture's minus sign (U+2212 under sv-SE).
    /// </summary>
    public static ArgumentOutOfRangeException OutOfRange(string? name, long value, string message) =>
        new(name, value.ToString(CultureInfo.InvariantCulture), message);

    /// <inheritdoc cref="OutOfRange(string?, long, string)"/>
    public static ArgumentOutOfRangeException OutOfRange(string? name, long? value, string message) =>
        new(name, value?.ToString(CultureInfo.InvariantCulture), message);

    /// <summary>A message with every number in it written in the invariant culture (<c>0.5</c>, <c>Infinity</c>; never <c>0,5</c> or <c>∞</c>).</summary>
    public static string Text(FormattableString message) => FormattableString.Invariant(message);
}
