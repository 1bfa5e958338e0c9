using System.Text;
using System.Text.Json;

namespace L1Net.Serialization;

/// <summary>
/// Saves and loads networks as versioned JSON: the architecture and every parameter, written in the shortest form that
/// reads back to the same <see cref="float"/> bits, so a round trip is bit-exact.
/// </summary>
/// <remarks>
/// <para>
/// The format (version 1):
/// <code>
/// { "format": "L1Net.Network", "version": 1, "inputSize": 10,
///   "layers": [ { "units": 8, "activation": "Tanh", "weights": [ ... ], "biases": [ ... ] }, ... ] }
/// </code>
/// Weights are row-major <c>W[o, i]</c>, as in <see cref="LayerInfo"/>. Loading rejects anything else with an
/// <see cref="InvalidDataException"/>: wrong format or version, missing or extra members, wrong lengths, non-finite
/// numbers, sizes beyond <see cref="DenseNetwork.MaxLayerSize"/>, documents larger than <see cref="MaxDocumentBytes"/>
/// or nested deeper than the format needs. Every array length is checked against the declared architecture before the
/// network is allocated, so the memory a load uses is bounded by a constant times the document's size.
/// </para>
/// <para>
/// Saving reads the network's parameters only; it may run while other threads predict with the same network (or from a
/// training progress callback), but not while the network is being trained by another thread.
/// </para>
/// </remarks>
public static class NetworkSerializer
{
    /// <summary>The value of the <c>format</c> member.</summary>
    public const string FormatName = "L1Net.Network";

    /// <summary>The format version this library writes and reads.</summary>
    /// <remarks>A value read at run time, not a compile-time constant: a later version of the library may change it without its callers being recompiled.</remarks>
    public static int CurrentVersion { get; } = 1;

    /// <summary>Largest document <see cref="Load(Stream)"/> accepts, in bytes (256 MiB).</summary>
    /// <remarks>A value read at run time, not a compile-time constant: a later version of the library may change it without its callers being recompiled.</remarks>
    public static int MaxDocumentBytes { get; } = 256 << 20;

    private const int MaxDepth = 5; // a network document needs 4; 5 lets a model document (whose network is nested) be recognised and refused with a pointer to ModelSerializer

    /// <summary>Writes <paramref name="network"/> as JSON to <paramref name="stream"/>.</summary>
    /// <param name="network">The network; its parameters must be finite.</param>
    /// <param name="stream">A writable stream; left open.</param>
    /// <exception cref="ArgumentException">The network holds a non-finite parameter, its layers do not describe a network the loader accepts (an <see cref="INetwork"/> of your own whose layers do not chain, whose sizes exceed the limits or whose weights have the wrong length), or the stream is not writable; nothing is written then.</exception>
    public static void Save(INetwork network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        CheckSavable(network);
        Write(network, stream);
    }

    /// <summary>Writes the document of a network <see cref="CheckSavable"/> accepted (each caller checks it once).</summary>
    private static void Write(INetwork network, Stream stream)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        WriteNetwork(writer, network);
        writer.Flush();
    }

    /// <summary>
    /// Refuses, before anything is written, a network whose document <see cref="Load(Stream)"/> would refuse: layers that do
    /// not chain, sizes or a parameter count beyond the limits, an activation where it may not stand, weights or biases of
    /// the wrong length (an <see cref="INetwork"/> of the caller's own), or a non-finite parameter.
    /// </summary>
    internal static void CheckSavable(INetwork network)
    {
        IReadOnlyList<LayerInfo>? layers = network.Layers;
        if (layers is null || layers.Count == 0)
        {
            throw new ArgumentException("The network has no layers; it cannot be saved.", nameof(network));
        }

        int previous = network.InputSize;
        if (previous < 1 || previous > DenseNetwork.MaxLayerSize)
        {
            throw new ArgumentException(Guard.Text($"The network's input size {previous} is outside [1, {DenseNetwork.MaxLayerSize}]; it cannot be saved."), nameof(network));
        }

        long parameters = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            LayerInfo layer = layers[l];
            if (layer.InputSize != previous || layer.OutputSize < 1 || layer.OutputSize > DenseNetwork.MaxLayerSize)
            {
                throw new ArgumentException(Guard.Text($"Layer {l} of the network takes {layer.InputSize} inputs with {layer.OutputSize} units, which does not chain from the {previous} before it (units must be in [1, {DenseNetwork.MaxLayerSize}]); it cannot be saved."), nameof(network));
            }

            ActivationRules.Validate(layer.Activation, l == layers.Count - 1, layer.OutputSize, nameof(network));
            parameters += ((long)layer.InputSize * layer.OutputSize) + layer.OutputSize;
            if (parameters > DenseNetwork.MaxParameterCount)
            {
                throw new ArgumentException(Guard.Text($"The network has more than {DenseNetwork.MaxParameterCount} parameters; it cannot be saved."), nameof(network));
            }

            int weights = network.GetWeights(l).Length, biases = network.GetBiases(l).Length;
            if (weights != layer.WeightCount || biases != layer.OutputSize)
            {
                throw new ArgumentException(Guard.Text($"Layer {l} of the network returns {weights} weights and {biases} biases, but its shape needs {layer.WeightCount} and {layer.OutputSize}; it cannot be saved."), nameof(network));
            }

            previous = layer.OutputSize;
        }

        if (previous != network.OutputSize)
        {
            throw new ArgumentException(Guard.Text($"The network's output size {network.OutputSize} is not its last layer's {previous} units; it cannot be saved."), nameof(network));
        }

        int bad = Guard.IndexOfNonFinite(network.Parameters);
        if (bad >= 0)
        {
            throw new ArgumentException(Guard.Text($"The network holds a non-finite parameter at index {bad}; it cannot be saved."), nameof(network));
        }
    }

    /// <summary>Writes the version 1 network object (also the <c>network</c> member of a model document).</summary>
    internal static void WriteNetwork(Utf8JsonWriter writer, INetwork network)
    {
        writer.WriteStartObject();
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", CurrentVersion);
        writer.WriteNumber("inputSize", network.InputSize);
        writer.WriteStartArray("layers");
        for (int l = 0; l < network.Layers.Count; l++)
        {
            LayerInfo layer = network.Layers[l];
            writer.WriteStartObject();
            writer.WriteNumber("units", layer.OutputSize);
            writer.WriteString("activation", layer.Activation.ToString());
            WriteArray(writer, "weights", network.GetWeights(l));
            WriteArray(writer, "biases", network.GetBiases(l));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Returns <paramref name="network"/> as a JSON string.</summary>
    /// <param name="network">The network; its parameters must be finite.</param>
    /// <returns>The JSON document.</returns>
    /// <exception cref="ArgumentException">The network holds a non-finite parameter.</exception>
    public static string ToJson(INetwork network)
    {
        using var stream = new MemoryStream();
        Save(network, stream);
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>
    /// Saves <paramref name="network"/> to <paramref name="path"/> atomically: the document is written to a temporary file
    /// beside it, flushed to disk, and then moved over the target, so a crash never leaves a half-written model.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The temporary file is hidden and its name is bounded whatever the target's name (at most
    /// <see cref="MaxTemporaryNameLength"/> characters): <c>.PREFIX.HASH.RANDOM.tmp</c>, where <c>PREFIX</c> is the target's
    /// file name cut to 40 characters, <c>HASH</c> 8 hex digits of a hash of the whole file name and <c>RANDOM</c> 16 random
    /// hex digits. Any name the file system accepts for the target can therefore be saved.
    /// </para>
    /// <para>
    /// A process killed during a save (<c>kill -9</c>, power loss) leaves its temporary file behind. Every successful save
    /// removes such leftovers of the same target: files in the target's directory whose names match this pattern for this
    /// target exactly, that were last written more than <see cref="StaleTemporaryAge"/> ago and that no other process holds
    /// open (the writer holds its temporary file locked). Temporary files of other targets, recent ones, locked ones and
    /// files that merely look similar are never touched. A failure to remove a leftover is ignored.
    /// </para>
    /// </remarks>
    /// <param name="network">The network; its parameters must be finite.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="ArgumentException">The path is empty, or the network holds a non-finite parameter.</exception>
    /// <exception cref="DirectoryNotFoundException">The target's directory does not exist (the message names the target path).</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not create files in the target's directory or replace the target, or the target is a directory (the message names the target path).</exception>
    /// <exception cref="IOException">Another I/O error, such as a full disk (the message names the target path); the previous file, if any, is unchanged.</exception>
    public static void SaveToFile(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckSavable(network); // before the temporary file is created
        SaveAtomically(path, stream => Write(network, stream));
    }

    /// <summary>Writes a document to <paramref name="path"/> through a flushed temporary file moved over the target.</summary>
    internal static void SaveAtomically(string path, Action<Stream> write) => AtomicFile.Write(path, "save the model", write);

    /// <summary>Longest name of the temporary file <see cref="SaveToFile"/> writes beside the target, in characters.</summary>
    /// <remarks>A value read at run time, not a compile-time constant: a later version of the library may change it without its callers being recompiled.</remarks>
    public static int MaxTemporaryNameLength { get; } = AtomicFile.MaxTemporaryNameLength;

    /// <summary>
    /// How old (by last write time) a temporary file left behind by an interrupted <see cref="SaveToFile"/> of the same
    /// target must be before a later save removes it: 15 minutes.
    /// </summary>
    public static TimeSpan StaleTemporaryAge => AtomicFile.StaleTemporaryAge;

    /// <summary>Reads a network from a JSON document.</summary>
    /// <param name="stream">A readable stream positioned at the document.</param>
    /// <returns>The network.</returns>
    /// <exception cref="InvalidDataException">The document is not a valid L1Net network of a supported version.</exception>
    public static DenseNetwork Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        return Parse(ReadAll(stream));
    }

    /// <summary>Reads a whole stream, refusing more than <see cref="MaxDocumentBytes"/>.</summary>
    internal static ReadOnlyMemory<byte> ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxDocumentBytes)
            {
                throw new InvalidDataException(Guard.Text($"The model document is larger than {MaxDocumentBytes} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>Reads a network from a JSON string.</summary>
    /// <param name="json">The document.</param>
    /// <returns>The network.</returns>
    /// <exception cref="InvalidDataException">The document is larger than <see cref="MaxDocumentBytes"/> once encoded as UTF-8 (checked before anything is parsed or encoded), or is not a valid L1Net network of a supported version.</exception>
    public static DenseNetwork FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);

        // The cap is on the UTF-8 bytes, as for Load: counted without encoding (a UTF-16 char is 1 to 3 UTF-8 bytes).
        if (json.Length > MaxDocumentBytes || (json.Length > MaxDocumentBytes / 3 && Encoding.UTF8.GetByteCount(json) > MaxDocumentBytes))
        {
            throw new InvalidDataException(Guard.Text($"The model document is larger than {MaxDocumentBytes} bytes (UTF-8)."));
        }

        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads a network from a file written by <see cref="SaveToFile"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The network.</returns>
    /// <exception cref="ArgumentException">The path is empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">A directory on the path does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not read the file, or the path names a directory.</exception>
    /// <exception cref="IOException">Another I/O error (the file is locked, a device error).</exception>
    /// <exception cref="InvalidDataException">The file is not a valid L1Net network of a supported version.</exception>
    public static DenseNetwork LoadFromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(stream);
    }

    internal static void WriteArray(Utf8JsonWriter writer, string name, ReadOnlySpan<float> values)
    {
        writer.WriteStartArray(name);
        foreach (float v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }

    private static DenseNetwork Parse(ReadOnlyMemory<byte> utf8) => Parse(utf8, MaxDepth, ReadNetwork);

    /// <summary>Parses a UTF-8 JSON document (a leading BOM allowed) and reads it with <paramref name="read"/>; every failure is an <see cref="InvalidDataException"/>.</summary>
    internal static T Parse<T>(ReadOnlyMemory<byte> utf8, int maxDepth, Func<JsonElement, T> read)
    {
        if (utf8.Span.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        try
        {
            return ParseDocument(utf8, maxDepth, read);
        }
        catch (InvalidOperationException e)
        {
            // JsonDocument validates the UTF-8 and escapes inside a string only when the string is read.
            throw new InvalidDataException(Guard.Text($"The model document is invalid: it holds a string that is not valid UTF-8 or UTF-16 ({e.Message})."), e);
        }
    }

    private static T ParseDocument<T>(ReadOnlyMemory<byte> utf8, int maxDepth, Func<JsonElement, T> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(Guard.Text($"The model document is not valid JSON: {e.Message}"), e);
        }

        using (document)
        {
            return read(document.RootElement);
        }
    }

    /// <summary>Reads a version 1 network object (a whole version 1 document, or the <c>network</c> member of a model document).</summary>
    internal static DenseNetwork ReadNetwork(JsonElement root) => ReadNetwork(root, "the document");

    /// <summary>Reads a version 1 network object; <paramref name="owner"/> names it in messages.</summary>
    internal static DenseNetwork ReadNetwork(JsonElement root, string owner)
    {
        {
            Expect(root.ValueKind == JsonValueKind.Object, $"{owner} must be a JSON object");
            if (root.TryGetProperty("format", out JsonElement format) && format.ValueKind == JsonValueKind.String && format.ValueEquals(ModelSerializer.FormatName))
            {
                throw new InvalidDataException(Guard.Text($"The model document is a whole model (format \"{ModelSerializer.FormatName}\"), which holds preprocessing and names besides the network; load it with {nameof(ModelSerializer)}.{nameof(ModelSerializer.LoadFromFile)} or {nameof(ModelSerializer)}.{nameof(ModelSerializer.Load)}."));
            }

            ExpectMembers(root, owner, "format", "version", "inputSize", "layers");
            Expect(root.GetProperty("format") is { ValueKind: JsonValueKind.String } f && f.GetString() == FormatName, $"'format' must be \"{FormatName}\"");
            int version = ReadInt(root, "version", "the document", 1, int.MaxValue);
            if (version != CurrentVersion)
            {
                throw new InvalidDataException(Guard.Text($"The model document has version {version}; this library reads version {CurrentVersion}."));
            }

            int inputSize = ReadInt(root, "inputSize", "the document", 1, DenseNetwork.MaxLayerSize);
            JsonElement layersElement = root.GetProperty("layers");
            Expect(layersElement.ValueKind == JsonValueKind.Array && layersElement.GetArrayLength() > 0, "'layers' must be a non-empty array");

            var specs = new List<LayerSpec>();
            long parameters = 0;
            int previous = inputSize;
            foreach (JsonElement layer in layersElement.EnumerateArray())
            {
                string where = $"layer {specs.Count}";
                Expect(layer.ValueKind == JsonValueKind.Object, $"{where} must be an object");
                ExpectMembers(layer, where, "units", "activation", "weights", "biases");
                int units = ReadInt(layer, "units", where, 1, DenseNetwork.MaxLayerSize);
                Activation activation = ParseActivation(layer.GetProperty("activation"), where);
                parameters += ((long)previous * units) + units;
                Expect(parameters <= DenseNetwork.MaxParameterCount, $"the network declares more than {DenseNetwork.MaxParameterCount} parameters");

                // Lengths are checked before anything is allocated, so the network's size is bounded by the document's.
                ExpectLength(layer.GetProperty("weights"), (long)previous * units, $"{where} 'weights'");
                ExpectLength(layer.GetProperty("biases"), units, $"{where} 'biases'");
                specs.Add(new LayerSpec(units, activation));
                previous = units;
            }

            DenseNetwork network;
            try
            {
                network = new DenseNetwork(inputSize, specs);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException(Guard.Text($"The model document describes an invalid network: {e.Message}"), e);
            }

            int index = 0;
            foreach (JsonElement layer in layersElement.EnumerateArray())
            {
                ReadValues(layer.GetProperty("weights"), network.GetWeights(index), $"layer {index} 'weights'");
                ReadValues(layer.GetProperty("biases"), network.GetBiases(index), $"layer {index} 'biases'");
                index++;
            }

            return network;
        }
    }

    private static Activation ParseActivation(JsonElement element, string where)
    {
        string? name = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        foreach (Activation candidate in Enum.GetValues<Activation>())
        {
            if (candidate.ToString() == name)
            {
                return candidate;
            }
        }

        string found = name is null ? $"a {element.ValueKind} value" : MessageText.Quote(name);
        string known = string.Join(", ", Enum.GetNames<Activation>());
        throw new InvalidDataException(Guard.Text($"The model document is invalid: {where} has an unknown activation {found}; the activations are {known} (names are case-sensitive)."));
    }

    internal static void ExpectLength(JsonElement array, long expected, string what)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"{what} must be an array");
        }

        int length = array.GetArrayLength();
        if (length != expected)
        {
            throw Invalid($"{what} must hold {expected} numbers, but holds {length}");
        }
    }

    internal static void ReadValues(JsonElement array, Span<float> destination, string what)
    {
        ExpectLength(array, destination.Length, what);
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            // The message is built only on failure: a valid document allocates nothing per number here.
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetSingle(out float v) || !float.IsFinite(v))
            {
                throw Invalid($"{what}[{i}] must be a finite number");
            }

            destination[i++] = v;
        }
    }

    internal static int ReadInt(JsonElement obj, string name, string where, int min, int max)
    {
        JsonElement e = obj.GetProperty(name);
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v) || v < min || v > max)
        {
            throw Invalid($"{where}: '{name}' must be an integer in [{min}, {max}]");
        }

        return v;
    }

    internal static void ExpectMembers(JsonElement obj, string where, params string[] names)
    {
        int count = 0;
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (Array.IndexOf(names, property.Name) < 0)
            {
                throw Invalid($"{where} has an unexpected member {MessageText.Quote(property.Name)}");
            }

            count++;
        }

        foreach (string name in names)
        {
            Expect(obj.TryGetProperty(name, out _), $"{where} lacks the member '{name}'");
        }

        Expect(count == names.Length, $"{where} repeats a member");
    }

    internal static void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            throw Invalid(problem);
        }
    }

    internal static InvalidDataException Invalid(string problem) => new($"The model document is invalid: {problem}.");
}
