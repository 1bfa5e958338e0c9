using L1Net.Onnx.Protobuf;

namespace L1Net.Onnx.Tests;

/// <summary>The protobuf writer against encodings worked out by hand from the protobuf encoding rules.</summary>
public class ProtoMessageTests
{
    [Theory]
    [InlineData(0L, new byte[] { 0x08, 0x00 })]
    [InlineData(1L, new byte[] { 0x08, 0x01 })]
    [InlineData(150L, new byte[] { 0x08, 0x96, 0x01 })]
    [InlineData(300L, new byte[] { 0x08, 0xAC, 0x02 })]
    [InlineData(-1L, new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Varint_fields_encode_as_protobuf_does(long value, byte[] expected) =>
        Assert.Equal(expected, new ProtoMessage().Int64(1, value).ToArray());

    [Fact]
    public void Strings_floats_nested_and_packed_fields_encode_as_protobuf_does()
    {
        var nested = new ProtoMessage().String(1, "testing");
        byte[] bytes = new ProtoMessage()
            .Float(2, 1f)
            .Message(3, nested)
            .PackedInt64(4, [3, 270, 86942])
            .Int64(20, 2)
            .ToArray();
        byte[] expected =
        [
            0x15, 0x00, 0x00, 0x80, 0x3F,
            0x1A, 0x09, 0x0A, 0x07, (byte)'t', (byte)'e', (byte)'s', (byte)'t', (byte)'i', (byte)'n', (byte)'g',
            0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05,
            0xA0, 0x01, 0x02,
        ];
        Assert.Equal(expected, bytes);
        Assert.Equal(bytes.Length, new ProtoMessage().Float(2, 1f).Message(3, nested).PackedInt64(4, [3, 270, 86942]).Int64(20, 2).Size);
    }

    [Fact]
    public void Floats_are_stored_little_endian_bit_for_bit()
    {
        float[] values = [1f, -0f, float.Epsilon, 3.14159274f];
        byte[] bytes = ProtoMessage.LittleEndianBytes(values);
        Assert.Equal([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0xDB, 0x0F, 0x49, 0x40], bytes);
    }
}
