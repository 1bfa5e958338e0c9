using System.Text;
using L1Net.Serialization;
using L1Net.Tests.Reliability;

namespace L1Net.Tests.Serialization;

/// <summary>
/// The loader's cost on valid documents and its messages on hostile ones: no error message is built for a number that is
/// valid, the size cap of <see cref="NetworkSerializer.FromJson"/> is on UTF-8 bytes and is checked before anything is
/// encoded or parsed, and error messages quote a bounded prefix of an offending member name.
/// </summary>
public class LoaderCostTests
{
    [Fact]
    public void A_valid_large_compact_model_loads_within_the_bound_claimed_for_hostile_documents()
    {
        // 1000 x 1000 weights written as "0": 2 bytes per number, the densest a valid document gets. The loader used to
        // build an error message for every number it read (about 120 bytes each, 60 times the document).
        const int n = 1000;
        var json = new StringBuilder();
        json.Append("{\"format\":\"L1Net.Network\",\"version\":1,\"inputSize\":").Append(n).Append(",\"layers\":[{\"units\":").Append(n);
        json.Append(",\"activation\":\"Identity\",\"weights\":[");
        json.Append(string.Join(",", Enumerable.Repeat("0", n * n))).Append("],\"biases\":[");
        json.Append(string.Join(",", Enumerable.Repeat("1", n))).Append("]}]}");
        byte[] bytes = Encoding.UTF8.GetBytes(json.ToString());

        long allocated = AllocatedBy(() => NetworkSerializer.Load(new MemoryStream(bytes)), out DenseNetwork network);

        Assert.Equal(n * (n + 1), network.ParameterCount);
        Assert.Equal(1f, network.GetBiases(0)[n - 1]);
        Assert.True(allocated < HostileModelFileTests.AllocationBound(bytes.Length), $"{allocated} bytes allocated for a {bytes.Length}-byte document");

        // What it really costs (measured: 20x): the read buffer (4x: doubling from 80 KB), the JSON token table (12 bytes
        // per token, a token per 2 bytes here, 12x with its doubling growth) and the network (4 bytes per parameter, 2x).
        Assert.True(allocated < (32L * bytes.Length) + (1L << 20), $"{allocated} bytes allocated for a {bytes.Length}-byte document");
    }

    [Fact]
    public void A_saved_model_loads_in_memory_proportional_to_its_size()
    {
        DenseNetwork saved = NetworkBuilder.Input(300).Dense(300, Activation.Tanh).Dense(10, Activation.Softmax).Build(new UniformInitializer(-1f, 1f, 7));
        byte[] bytes = Encoding.UTF8.GetBytes(NetworkSerializer.ToJson(saved));

        long allocated = AllocatedBy(() => NetworkSerializer.Load(new MemoryStream(bytes)), out DenseNetwork network);

        Fixtures.AssertBitIdentical(Fixtures.Bits(saved), network);
        Assert.True(allocated < 8L * bytes.Length, $"{allocated} bytes allocated for a {bytes.Length}-byte document");
    }

    [Fact]
    public void FromJson_caps_UTF8_bytes_not_characters_and_rejects_before_encoding()
    {
        // 3 UTF-8 bytes per character: fewer characters than the cap, more bytes. It used to be encoded (270 MB) and parsed.
        int chars = (NetworkSerializer.MaxDocumentBytes / 3) + 1;
        string json = new('\u20AC', chars);

        InvalidDataException? e = null;
        long allocated = AllocatedBy(() => e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromJson(json)), out _);

        Assert.Contains("larger than", e!.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1L << 20, $"{allocated} bytes allocated before rejecting");
    }

    [Fact]
    public void FromJson_accepts_a_document_at_the_cap_measured_in_bytes()
    {
        // Below the cap in bytes: parsed (and rejected as JSON), not refused for its size.
        string json = new('\u20AC', 1000);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromJson(json));
        Assert.DoesNotContain("larger than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_message_quotes_a_bounded_prefix_of_a_huge_member_name()
    {
        string name = new('k', 1 << 20);
        string json = "{\"" + name + "\":1,\"format\":\"L1Net.Network\",\"version\":1,\"inputSize\":1,\"layers\":[]}";

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromJson(json));

        Assert.Contains("unexpected member", e.Message, StringComparison.Ordinal);
        Assert.Contains(new string('k', MessageText.MaxQuotedLength), e.Message, StringComparison.Ordinal);
        Assert.Contains("(1048576 characters)", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 300, $"message of {e.Message.Length} characters");
    }

    [Fact]
    public void Quoting_never_splits_a_surrogate_pair()
    {
        string text = new string('a', MessageText.MaxQuotedLength - 1) + "\U0001F600" + new string('b', 100);
        string quoted = MessageText.Quote(text, quoted: false);
        Assert.StartsWith(new string('a', MessageText.MaxQuotedLength - 1) + "...", quoted, StringComparison.Ordinal);
        Assert.Equal("short", MessageText.Quote("short", quoted: false));
    }

    private static long AllocatedBy<T>(Func<T> action, out T result)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        result = action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
