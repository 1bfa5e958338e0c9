using System.Runtime.InteropServices;

namespace L1Net.Kernels;

/// <summary>Float buffers that start on a 64-byte cache-line boundary.</summary>
internal static class AlignedMemory
{
    /// <summary>Bytes per cache line.</summary>
    public const int LineBytes = 64;

    /// <summary>
    /// A pinned buffer of <paramref name="length"/> zeroed floats starting on a 64-byte boundary. Kernels read 16-float
    /// panels (one cache line each when aligned, two otherwise) and threads split matrices in whole 16-float tiles, so
    /// with an aligned start a panel of rows whose length is a multiple of 16 costs half the lines, and no line is
    /// written by two threads.
    /// </summary>
    /// <exception cref="OutOfMemoryException"><paramref name="length"/> plus one cache line exceeds the largest array.</exception>
    public static ArraySegment<float> Allocate(int length)
    {
        const int Floats = LineBytes / sizeof(float);
        if (length > Array.MaxLength - Floats)
        {
            throw new OutOfMemoryException(Guard.Text($"{length} floats plus one cache line exceed the largest array."));
        }

        float[] array = GC.AllocateArray<float>(length + Floats, pinned: true);
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(array, 0).ToInt64();
        int offset = (int)((LineBytes - (address & (LineBytes - 1))) & (LineBytes - 1)) / sizeof(float);
        return new ArraySegment<float>(array, offset, length);
    }

    /// <summary>An aligned copy of <paramref name="values"/> (see <see cref="Allocate"/>).</summary>
    public static ArraySegment<float> Copy(ReadOnlySpan<float> values)
    {
        ArraySegment<float> segment = Allocate(values.Length);
        values.CopyTo(segment);
        return segment;
    }
}
