using System.Text;
using L1Net.Serialization;
using L1Net.Tests.Reliability;

namespace L1Net.Tests.Serialization;

/// <summary>
/// Loading rejects truncated, corrupted, wrong-version, wrong-format and hostile documents with
/// <see cref="InvalidDataException"/>, using memory bounded by the document's size.
/// </summary>
public class HostileModelFileTests
{
    private const string Valid = """
        {"format":"L1Net.Network","version":1,"inputSize":2,"layers":[
          {"units":2,"activation":"Tanh","weights":[0.5,-0.25,1,0],"biases":[0.125,-1]},
          {"units":2,"activation":"Softmax","weights":[1,2,3,4],"biases":[0,0]}]}
        """;

    public static TheoryData<string, string> Hostile() => new()
    {
        { "empty", string.Empty },
        { "whitespace", "   \n\t " },
        { "null literal", "null" },
        { "array root", "[]" },
        { "number root", "42" },
        { "string root", "\"L1Net.Network\"" },
        { "not JSON", "format: L1Net.Network" },
        { "trailing comma", Valid.Replace("[0,0]}]}", "[0,0],}]}", StringComparison.Ordinal) },
        { "comment", "/* model */" + Valid },
        { "two documents", Valid + Valid },
        { "another tool's format", """{"class_name":"Sequential","config":{"layers":[]}}""" },
        { "wrong format name", Valid.Replace("L1Net.Network", "L1Net.Model", StringComparison.Ordinal) },
        { "format not a string", Valid.Replace("\"L1Net.Network\"", "1", StringComparison.Ordinal) },
        { "missing format", Valid.Replace("\"format\":\"L1Net.Network\",", string.Empty, StringComparison.Ordinal) },
        { "version 2", Valid.Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal) },
        { "version 0", Valid.Replace("\"version\":1", "\"version\":0", StringComparison.Ordinal) },
        { "version negative", Valid.Replace("\"version\":1", "\"version\":-1", StringComparison.Ordinal) },
        { "version as string", Valid.Replace("\"version\":1", "\"version\":\"1\"", StringComparison.Ordinal) },
        { "version fractional", Valid.Replace("\"version\":1", "\"version\":1.5", StringComparison.Ordinal) },
        { "version out of int range", Valid.Replace("\"version\":1", "\"version\":1e400", StringComparison.Ordinal) },
        { "missing version", Valid.Replace("\"version\":1,", string.Empty, StringComparison.Ordinal) },
        { "input size zero", Valid.Replace("\"inputSize\":2", "\"inputSize\":0", StringComparison.Ordinal) },
        { "input size huge", Valid.Replace("\"inputSize\":2", "\"inputSize\":2147483647", StringComparison.Ordinal) },
        { "input size beyond int", Valid.Replace("\"inputSize\":2", "\"inputSize\":4294967298", StringComparison.Ordinal) },
        { "layers empty", """{"format":"L1Net.Network","version":1,"inputSize":2,"layers":[]}""" },
        { "layers not an array", """{"format":"L1Net.Network","version":1,"inputSize":2,"layers":{}}""" },
        { "layer not an object", """{"format":"L1Net.Network","version":1,"inputSize":2,"layers":[3]}""" },
        { "units zero", Valid.Replace("\"units\":2,\"activation\":\"Tanh\"", "\"units\":0,\"activation\":\"Tanh\"", StringComparison.Ordinal) },
        { "units huge", Valid.Replace("\"units\":2,\"activation\":\"Tanh\"", "\"units\":1048577,\"activation\":\"Tanh\"", StringComparison.Ordinal) },
        { "activation lower case", Valid.Replace("\"Tanh\"", "\"tanh\"", StringComparison.Ordinal) },
        { "activation unknown", Valid.Replace("\"Tanh\"", "\"Gelu\"", StringComparison.Ordinal) },
        { "activation as number", Valid.Replace("\"Tanh\"", "1", StringComparison.Ordinal) },
        { "softmax in a hidden layer", Valid.Replace("\"Tanh\"", "\"Softmax\"", StringComparison.Ordinal) },
        { "weights one short", Valid.Replace("[0.5,-0.25,1,0]", "[0.5,-0.25,1]", StringComparison.Ordinal) },
        { "weights one long", Valid.Replace("[0.5,-0.25,1,0]", "[0.5,-0.25,1,0,7]", StringComparison.Ordinal) },
        { "biases missing", Valid.Replace(",\"biases\":[0.125,-1]", string.Empty, StringComparison.Ordinal) },
        { "weights not an array", Valid.Replace("[0.5,-0.25,1,0]", "\"0.5,-0.25,1,0\"", StringComparison.Ordinal) },
        { "weight as string", Valid.Replace("[0.5,-0.25,1,0]", "[\"0.5\",-0.25,1,0]", StringComparison.Ordinal) },
        { "weight null", Valid.Replace("[0.5,-0.25,1,0]", "[null,-0.25,1,0]", StringComparison.Ordinal) },
        { "weight nested array", Valid.Replace("[0.5,-0.25,1,0]", "[[0.5],-0.25,1,0]", StringComparison.Ordinal) },
        { "weight above float range", Valid.Replace("[0.5,-0.25,1,0]", "[1e39,-0.25,1,0]", StringComparison.Ordinal) },
        { "weight below float range", Valid.Replace("[0.5,-0.25,1,0]", "[-3.5e38,-0.25,1,0]", StringComparison.Ordinal) },
        { "weight NaN literal", Valid.Replace("[0.5,-0.25,1,0]", "[NaN,-0.25,1,0]", StringComparison.Ordinal) },
        { "weight NaN string", Valid.Replace("[0.5,-0.25,1,0]", "[\"NaN\",-0.25,1,0]", StringComparison.Ordinal) },
        { "weight Infinity", Valid.Replace("[0.5,-0.25,1,0]", "[Infinity,-0.25,1,0]", StringComparison.Ordinal) },
        { "extra root member", Valid.Replace("\"version\":1,", "\"version\":1,\"comment\":\"hi\",", StringComparison.Ordinal) },
        { "extra layer member", Valid.Replace("\"units\":2,\"activation\":\"Tanh\"", "\"units\":2,\"dropout\":0.5,\"activation\":\"Tanh\"", StringComparison.Ordinal) },
        { "duplicate root member", Valid.Replace("\"version\":1,", "\"version\":1,\"version\":1,", StringComparison.Ordinal) },
        { "duplicate layer member", Valid.Replace("\"units\":2,\"activation\":\"Tanh\"", "\"units\":2,\"units\":2,\"activation\":\"Tanh\"", StringComparison.Ordinal) },
        { "lone surrogate member name", Valid.Replace("\"version\":1,", "\"\\uD800\":1,\"version\":1,", StringComparison.Ordinal) },
        { "lone surrogate activation", Valid.Replace("\"Tanh\"", "\"\\uDC00\"", StringComparison.Ordinal) },
        { "lone surrogate format", Valid.Replace("\"L1Net.Network\"", "\"\\uD800x\"", StringComparison.Ordinal) },
        { "deep nesting", new string('[', 100_000) + new string(']', 100_000) },
        { "nesting one level too deep", Valid.Replace("[0.5,-0.25,1,0]", "[[[0.5]],-0.25,1,0]", StringComparison.Ordinal) },
        { "huge declared sizes", """{"format":"L1Net.Network","version":1,"inputSize":1048576,"layers":[{"units":1048576,"activation":"Identity","weights":[],"biases":[]}]}""" },
        { "declared 2^28 parameters, arrays empty", """{"format":"L1Net.Network","version":1,"inputSize":16383,"layers":[{"units":16383,"activation":"Identity","weights":[],"biases":[]}]}""" },
        { "many layers each huge", """{"format":"L1Net.Network","version":1,"inputSize":65536,"layers":[""" + string.Join(",", Enumerable.Repeat("""{"units":65536,"activation":"Identity","weights":[],"biases":[]}""", 50)) + "]}" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Rejects_a_hostile_document_with_InvalidDataException_in_bounded_memory(string what, string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        long before = GC.GetAllocatedBytesForCurrentThread();

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.Load(new MemoryStream(bytes)));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("model document", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBound(bytes.Length), $"{what}: {allocated} bytes allocated for a {bytes.Length}-byte document");
        Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromJson(json));
    }

    [Fact]
    public void The_valid_base_document_loads()
    {
        DenseNetwork network = NetworkSerializer.FromJson(Valid);
        Assert.Equal("2-2(Tanh)-2(Softmax)", network.ToString());
        Assert.Equal([0.5f, -0.25f, 1f, 0f], network.GetWeights(0).ToArray());
    }

    [Fact]
    public void A_leading_byte_order_mark_is_accepted()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Valid)];
        Assert.Equal("2-2(Tanh)-2(Softmax)", NetworkSerializer.Load(new MemoryStream(bytes)).ToString());
    }

    [Fact]
    public void Every_truncation_of_a_saved_model_is_rejected()
    {
        DenseNetwork network = Fixtures.Network();
        byte[] bytes = Encoding.UTF8.GetBytes(NetworkSerializer.ToJson(network));

        // Everything after the closing brace is whitespace, so stop at the brace.
        int end = Array.LastIndexOf(bytes, (byte)'}');
        for (int length = 0; length <= end; length++)
        {
            Assert.Throws<InvalidDataException>(() => NetworkSerializer.Load(new MemoryStream(bytes, 0, length)));
        }
    }

    [Fact]
    public void Invalid_UTF8_is_rejected()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Valid);
        bytes[Valid.IndexOf("Tanh", StringComparison.Ordinal) + 1] = 0xFF;
        Assert.Throws<InvalidDataException>(() => NetworkSerializer.Load(new MemoryStream(bytes)));
    }

    [Fact]
    public void A_stream_longer_than_the_limit_is_rejected_without_reading_it_all()
    {
        var stream = new EndlessStream();

        Assert.Throws<InvalidDataException>(() => NetworkSerializer.Load(stream));

        Assert.InRange(stream.Delivered, NetworkSerializer.MaxDocumentBytes, NetworkSerializer.MaxDocumentBytes + (1L << 20));
    }

    /// <summary>Loading a document of <paramref name="length"/> bytes may allocate at most this much.</summary>
    internal static long AllocationBound(int length) => (64L * length) + (1L << 20);

    /// <summary>A readable stream of spaces that never ends.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Delivered { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Delivered; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)' ');
            Delivered += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
