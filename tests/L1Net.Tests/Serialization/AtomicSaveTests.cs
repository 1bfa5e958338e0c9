using L1Net.Serialization;
using L1Net.Tests.Reliability;

namespace L1Net.Tests.Serialization;

/// <summary>
/// <see cref="NetworkSerializer.SaveToFile"/> writes a temporary file beside the target and then moves it over the target:
/// a save that fails at any point leaves the previous file as it was and no temporary file behind.
/// </summary>
public sealed class AtomicSaveTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("l1net-save-");

    private string Target => Path.Combine(_dir.FullName, "model.json");

    public void Dispose() => _dir.Delete(recursive: true);

    private string[] Files() => _dir.GetFiles().Select(f => f.Name).Order().ToArray();

    [Fact]
    public void Save_then_load_round_trips_and_leaves_only_the_target()
    {
        DenseNetwork network = Fixtures.Network();
        NetworkSerializer.SaveToFile(network, Target);

        Assert.Equal(["model.json"], Files());
        Fixtures.AssertBitIdentical(Fixtures.Bits(network), NetworkSerializer.LoadFromFile(Target));
    }

    [Fact]
    public void Saving_over_an_existing_file_replaces_it()
    {
        NetworkSerializer.SaveToFile(Fixtures.Network(seed: 1), Target);
        DenseNetwork second = Fixtures.Network(seed: 2);

        NetworkSerializer.SaveToFile(second, Target);

        Assert.Equal(["model.json"], Files());
        Assert.Equal(NetworkSerializer.ToJson(second), File.ReadAllText(Target));
    }

    [Fact]
    public void A_network_holding_NaN_is_refused_and_the_previous_file_survives()
    {
        NetworkSerializer.SaveToFile(Fixtures.Network(), Target);
        byte[] previous = File.ReadAllBytes(Target);
        DenseNetwork bad = Fixtures.Network(seed: 9);
        bad.GetBiases(0)[1] = float.NaN;

        Assert.Throws<ArgumentException>("network", () => NetworkSerializer.SaveToFile(bad, Target));

        Assert.Equal(previous, File.ReadAllBytes(Target));
        Assert.Equal(["model.json"], Files());
    }

    [Fact]
    public void A_save_failing_half_way_through_writing_keeps_the_previous_file_and_removes_the_temporary_one()
    {
        NetworkSerializer.SaveToFile(Fixtures.Network(), Target);
        byte[] previous = File.ReadAllBytes(Target);
        string[]? seenDuringWrite = null;
        byte[]? targetDuringWrite = null;
        var failing = new FailingNetwork(Fixtures.Network(seed: 5), onFailure: () =>
        {
            seenDuringWrite = Files();
            targetDuringWrite = File.ReadAllBytes(Target);
        });

        IOException e = Assert.Throws<IOException>(() => NetworkSerializer.SaveToFile(failing, Target));

        // The message names the target (not the temporary file a failure may name); the cause is the inner exception.
        Assert.Equal($"Cannot save the model to '{Path.GetFullPath(Target)}': disk full", e.Message);
        Assert.Equal("disk full", e.InnerException?.Message);

        // While writing, the document went to a hidden temporary file beside the target; the target was untouched.
        Assert.NotNull(seenDuringWrite);
        Assert.Equal(2, seenDuringWrite.Length);
        Assert.Contains(seenDuringWrite, f => f.StartsWith(".model.json.", StringComparison.Ordinal) && f.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Equal(previous, targetDuringWrite);

        // Afterwards: the previous file, and nothing else.
        Assert.Equal(previous, File.ReadAllBytes(Target));
        Assert.Equal(["model.json"], Files());
    }

    [Fact]
    public void Saving_into_a_missing_directory_fails_and_creates_nothing()
    {
        string path = Path.Combine(_dir.FullName, "missing", "model.json");
        Assert.Throws<DirectoryNotFoundException>(() => NetworkSerializer.SaveToFile(Fixtures.Network(), path));
        Assert.Empty(_dir.GetFileSystemInfos());
    }

    [Fact]
    public void A_stream_that_fails_while_saving_reports_its_own_exception()
    {
        var stream = new FailingStream(failAfter: 100);
        Assert.Throws<IOException>(() => NetworkSerializer.Save(Fixtures.Network(hidden: 50), stream));
    }

    /// <summary>Fails while the document is written: the second read of layer 1's weights (the first is the shape check before the temporary file is created).</summary>
    private sealed class FailingNetwork(INetwork inner, Action onFailure) : INetwork
    {
        private int _reads;

        public int InputSize => inner.InputSize;

        public int OutputSize => inner.OutputSize;

        public IReadOnlyList<LayerInfo> Layers => inner.Layers;

        public int ParameterCount => inner.ParameterCount;

        public Span<float> Parameters => inner.Parameters;

        public Span<float> GetWeights(int layer)
        {
            if (layer == 1 && ++_reads == 2)
            {
                onFailure();
                throw new IOException("disk full");
            }

            return inner.GetWeights(layer);
        }

        public Span<float> GetBiases(int layer) => inner.GetBiases(layer);

        public void Predict(ReadOnlySpan<float> input, Span<float> output) => inner.Predict(input, output);

        public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs) => inner.PredictBatch(inputs, outputs);
    }

    private sealed class FailingStream(int failAfter) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > failAfter)
            {
                throw new IOException("device error");
            }

            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Length + buffer.Length > failAfter)
            {
                throw new IOException("device error");
            }

            base.Write(buffer);
        }
    }
}
