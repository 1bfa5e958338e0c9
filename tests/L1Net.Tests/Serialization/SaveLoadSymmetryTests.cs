using L1Net.Serialization;

namespace L1Net.Tests.Serialization;

/// <summary>
/// A model the serializer saves, it loads again: a name or provenance text the loader refuses (longer than
/// <see cref="ModelSerializer.MaxNameLength"/>, or null) is refused when saving, before anything is written, instead of
/// producing a file that no later load accepts. Failed saves name the target, never the temporary file.
/// </summary>
public sealed class SaveLoadSymmetryTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("l1net-symmetry-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static DenseNetwork Network() =>
        NetworkBuilder.Input(3).Dense(4, Activation.Tanh).Dense(3, Activation.Softmax).Build(new GlorotUniformInitializer(1));

    private static ClassificationModel Model(string[]? features = null, string[]? classes = null, string? label = null, ModelProvenance? provenance = null) =>
        new(Network(), features ?? ["a", "b", "c"], classes ?? ["x", "y", "z"]) { LabelName = label, Provenance = provenance };

    public static TheoryData<string, Func<ClassificationModel>> Unloadable()
    {
        string tooLong = new('n', ModelSerializer.MaxNameLength + 1);
        return new()
        {
            { "feature name 1", () => Model(features: ["a", tooLong, "c"]) },
            { "class name 2", () => Model(classes: ["x", "y", tooLong]) },
            { "label name", () => Model(label: tooLong) },
            { "provenance's Notes", () => Model(provenance: new ModelProvenance { Notes = tooLong }) },
            { "provenance's Regularizer", () => Model(provenance: new ModelProvenance { Regularizer = tooLong }) },
            { "provenance's Optimizer", () => Model(provenance: new ModelProvenance { Optimizer = null! }) },
            { "provenance's LibraryVersion", () => Model(provenance: new ModelProvenance { LibraryVersion = null! }) },
        };
    }

    [Theory]
    [MemberData(nameof(Unloadable))]
    public void A_model_the_loader_would_refuse_is_refused_when_saving_and_nothing_is_written(string what, Func<ClassificationModel> make)
    {
        ClassificationModel model = make();

        using var stream = new MemoryStream();
        var e = Assert.Throws<ArgumentException>(() => ModelSerializer.Save(model, stream));
        Assert.Equal("model", e.ParamName);
        Assert.Contains($"The model's {what} ", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, stream.Length);
        Assert.Throws<ArgumentException>(() => ModelSerializer.ToJson(model));

        string path = Path.Combine(_dir.FullName, "m.json");
        ModelSerializer.SaveToFile(Model(), path);
        byte[] before = File.ReadAllBytes(path);
        Assert.Throws<ArgumentException>(() => ModelSerializer.SaveToFile(model, path));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(_dir.GetFiles("*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Names_and_notes_of_the_longest_length_round_trip()
    {
        int max = ModelSerializer.MaxNameLength;
        ClassificationModel model = Model(
            features: [new string('f', max), "b", "c"],
            classes: ["x", new string('c', max), "z"],
            label: new string('l', max),
            provenance: new ModelProvenance { Notes = new string('n', max), Regularizer = new string('r', max), Optimizer = string.Empty });

        ClassificationModel loaded = ModelSerializer.FromJson(ModelSerializer.ToJson(model));

        Assert.Equal(model.FeatureNames, loaded.FeatureNames);
        Assert.Equal(model.ClassNames, loaded.ClassNames);
        Assert.Equal(model.LabelName, loaded.LabelName);
        Assert.Equal(model.Provenance, loaded.Provenance);
    }

    [Fact]
    public void Saving_over_a_directory_names_the_target_and_leaves_it_alone()
    {
        DirectoryInfo target = _dir.CreateSubdirectory("model.json");

        var e = Assert.Throws<UnauthorizedAccessException>(() => ModelSerializer.SaveToFile(Model(), target.FullName));
        Assert.Equal($"Cannot save the model to '{target.FullName}': it is a directory.", e.Message);
        var n = Assert.Throws<UnauthorizedAccessException>(() => NetworkSerializer.SaveToFile(Network(), target.FullName));
        Assert.Equal(e.Message, n.Message);
        Assert.True(target.Exists);
        Assert.Empty(_dir.GetFiles("*", SearchOption.AllDirectories)); // no temporary file left behind
    }

    [Fact]
    public void An_io_failure_names_the_target_not_the_temporary_file()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self"))
        {
            return; // needs a file system that refuses new files with an IOException
        }

        string target = "/proc/self/l1net-model.json";
        Exception? e = Record.Exception(() => ModelSerializer.SaveToFile(Model(), target));
        Assert.True(e is IOException or UnauthorizedAccessException, $"{e?.GetType()}: {e?.Message}");
        Assert.StartsWith($"Cannot save the model to '{target}': ", e!.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<INetwork>> UnloadableNetworks() => new()
    {
        { "does not chain", () => new OwnNetwork(3, [new LayerInfo(3, 4, Activation.Tanh), new LayerInfo(5, 2, Activation.Softmax)]) },
        { "cannot be used in the output layer", () => new OwnNetwork(3, [new LayerInfo(3, 2, Activation.Tanh)]) },
        { "cannot be used in a hidden layer", () => new OwnNetwork(3, [new LayerInfo(3, 4, Activation.Softmax), new LayerInfo(4, 2, Activation.Softmax)]) },
        { "is not a defined Activation value", () => new OwnNetwork(3, [new LayerInfo(3, 2, (Activation)99)]) },
        { "returns 5 weights", () => new OwnNetwork(3, [new LayerInfo(3, 2, Activation.Softmax)], weightsShortBy: 1) },
        { "has no layers", () => new OwnNetwork(3, []) },
    };

    [Theory]
    [MemberData(nameof(UnloadableNetworks))]
    public void A_network_of_ones_own_that_the_loader_would_refuse_is_refused_when_saving(string problem, Func<INetwork> make)
    {
        INetwork network = make();

        using var stream = new MemoryStream();
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => NetworkSerializer.Save(network, stream));
        Assert.Equal("network", e.ParamName);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, stream.Length);
        Assert.ThrowsAny<ArgumentException>(() => NetworkSerializer.SaveToFile(network, Path.Combine(_dir.FullName, "own.json")));
        Assert.Empty(_dir.GetFiles());
    }

    [Fact]
    public void A_well_formed_network_of_ones_own_saves_and_loads()
    {
        var own = new OwnNetwork(3, [new LayerInfo(3, 4, Activation.ReLU), new LayerInfo(4, 2, Activation.Softmax)]);
        for (int i = 0; i < own.ParameterCount; i++)
        {
            own.Parameters[i] = (i % 7) - 3.5f;
        }

        DenseNetwork loaded = NetworkSerializer.FromJson(NetworkSerializer.ToJson(own));

        Assert.Equal(own.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    [Fact]
    public void A_version_1_network_with_one_output_is_not_a_model_and_says_so_with_InvalidDataException()
    {
        string json = NetworkSerializer.ToJson(NetworkBuilder.Input(2).Dense(1, Activation.Sigmoid).Build(new GlorotUniformInitializer(1)));

        var e = Assert.Throws<InvalidDataException>(() => ModelSerializer.FromJson(json));

        Assert.Equal("The model document is invalid: a model needs at least 2 classes, but this version 1 network has 1 output; read it with NetworkSerializer.", e.Message);
        Assert.Equal(1, NetworkSerializer.FromJson(json).OutputSize);
    }

    [Theory]
    [InlineData("tanh", "'tanh'")]
    [InlineData("TANH", "'TANH'")]
    [InlineData("Swish", "'Swish'")]
    public void An_activation_name_in_another_case_is_refused_with_the_name_and_the_known_ones(string written, string quoted)
    {
        string json = NetworkSerializer.ToJson(Network()).Replace("\"Tanh\"", $"\"{written}\"", StringComparison.Ordinal);

        var e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromJson(json));
        Assert.Equal($"The model document is invalid: layer 0 has an unknown activation {quoted}; the activations are Identity, Tanh, Sigmoid, ReLU, Softmax (names are case-sensitive).", e.Message);
    }

    [Fact]
    public void A_non_string_activation_says_what_it_found()
    {
        string json = NetworkSerializer.ToJson(Network()).Replace("\"Tanh\"", "1", StringComparison.Ordinal);

        var e = Assert.Throws<InvalidDataException>(() => NetworkSerializer.FromJson(json));
        Assert.Contains("layer 0 has an unknown activation a Number value;", e.Message, StringComparison.Ordinal);
    }

    /// <summary>An <see cref="INetwork"/> of a caller's own: any layers, parameters laid out layer by layer.</summary>
    private sealed class OwnNetwork(int inputSize, LayerInfo[] layers, int weightsShortBy = 0) : INetwork
    {
        private readonly float[] _parameters = new float[layers.Sum(l => l.ParameterCount)];

        public int InputSize => inputSize;

        public int OutputSize => layers.Length == 0 ? 0 : layers[^1].OutputSize;

        public IReadOnlyList<LayerInfo> Layers => layers;

        public int ParameterCount => _parameters.Length;

        public Span<float> Parameters => _parameters;

        public Span<float> GetWeights(int layer) => _parameters.AsSpan(Offset(layer), layers[layer].WeightCount - weightsShortBy);

        public Span<float> GetBiases(int layer) => _parameters.AsSpan(Offset(layer) + layers[layer].WeightCount, layers[layer].OutputSize);

        public void Predict(ReadOnlySpan<float> input, Span<float> output) => throw new NotSupportedException();

        public void PredictBatch(ReadOnlySpan<float> inputs, Span<float> outputs) => throw new NotSupportedException();

        private int Offset(int layer) => layers.Take(layer).Sum(l => l.ParameterCount);
    }
}
