using System.Buffers.Binary;
using System.Text;

namespace L1Net.Onnx.Protobuf;

/// <summary>
/// A protocol-buffers message being built: its fields in the order added, encoded on <see cref="WriteTo"/>.
/// Only what the ONNX messages need: varint (wire type 0), length-delimited (2: strings, bytes, packed arrays, nested
/// messages) and 32-bit (5: float). Sizes of nested messages are computed once and cached, so the large tensors are
/// written straight to the stream, never copied into a parent buffer.
/// </summary>
internal sealed class ProtoMessage
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    private readonly List<Field> _fields = [];
    private long _size = -1;

    /// <summary>Encoded size of this message in bytes (without its own tag and length).</summary>
    public long Size
    {
        get
        {
            if (_size < 0)
            {
                long size = 0;
                foreach (Field f in _fields)
                {
                    size += f.Size;
                }

                _size = size;
            }

            return _size;
        }
    }

    /// <summary>An <c>int32</c>, <c>int64</c> or enum field (varint; negative values take ten bytes, as protobuf requires).</summary>
    public ProtoMessage Int64(int number, long value) => Add(new Field(number, WireVarint, value, null, null));

    /// <summary>A <c>float</c> field (fixed 32-bit, little-endian).</summary>
    public ProtoMessage Float(int number, float value) => Add(new Field(number, WireFixed32, BitConverter.SingleToInt32Bits(value), null, null));

    /// <summary>A <c>string</c> field, UTF-8.</summary>
    public ProtoMessage String(int number, string value) => Bytes(number, Encoding.UTF8.GetBytes(value));

    /// <summary>A <c>bytes</c> field.</summary>
    public ProtoMessage Bytes(int number, byte[] value) => Add(new Field(number, WireLengthDelimited, 0, value, null));

    /// <summary>A nested message field.</summary>
    public ProtoMessage Message(int number, ProtoMessage value) => Add(new Field(number, WireLengthDelimited, 0, null, value));

    /// <summary>A packed <c>repeated int64</c> field.</summary>
    public ProtoMessage PackedInt64(int number, ReadOnlySpan<long> values)
    {
        var buffer = new byte[SizeOfPacked(values)];
        int at = 0;
        foreach (long v in values)
        {
            at += WriteVarint(buffer.AsSpan(at), (ulong)v);
        }

        return Bytes(number, buffer);
    }

    /// <summary>Little-endian bytes of <paramref name="values"/>, as ONNX's <c>TensorProto.raw_data</c> stores floats on every platform.</summary>
    public static byte[] LittleEndianBytes(ReadOnlySpan<float> values)
    {
        var bytes = new byte[checked(values.Length * sizeof(float))];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }

    /// <summary>Writes the encoded message (without its own tag and length) to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        Span<byte> scratch = stackalloc byte[20];
        foreach (Field f in _fields)
        {
            int n = WriteVarint(scratch, ((ulong)f.Number << 3) | (uint)f.WireType);
            switch (f.WireType)
            {
                case WireVarint:
                    n += WriteVarint(scratch[n..], (ulong)f.Value);
                    stream.Write(scratch[..n]);
                    break;
                case WireFixed32:
                    BinaryPrimitives.WriteInt32LittleEndian(scratch[n..], (int)f.Value);
                    stream.Write(scratch[..(n + 4)]);
                    break;
                default:
                    n += WriteVarint(scratch[n..], (ulong)f.PayloadSize);
                    stream.Write(scratch[..n]);
                    if (f.Bytes is not null)
                    {
                        stream.Write(f.Bytes);
                    }
                    else
                    {
                        f.Nested!.WriteTo(stream);
                    }

                    break;
            }
        }
    }

    /// <summary>The whole message as a byte array.</summary>
    public byte[] ToArray()
    {
        using var stream = new MemoryStream(checked((int)Size));
        WriteTo(stream);
        return stream.ToArray();
    }

    internal static int SizeOfVarint(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    private static int SizeOfPacked(ReadOnlySpan<long> values)
    {
        int size = 0;
        foreach (long v in values)
        {
            size += SizeOfVarint((ulong)v);
        }

        return size;
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        int n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        return n;
    }

    private ProtoMessage Add(Field field)
    {
        _fields.Add(field);
        _size = -1;
        return this;
    }

    private readonly record struct Field(int Number, int WireType, long Value, byte[]? Bytes, ProtoMessage? Nested)
    {
        public long PayloadSize => Bytes?.Length ?? Nested?.Size ?? 0;

        public long Size
        {
            get
            {
                long size = SizeOfVarint(((ulong)Number << 3) | (uint)WireType);
                return WireType switch
                {
                    WireVarint => size + SizeOfVarint((ulong)Value),
                    WireFixed32 => size + 4,
                    _ => size + SizeOfVarint((ulong)PayloadSize) + PayloadSize,
                };
            }
        }
    }
}
