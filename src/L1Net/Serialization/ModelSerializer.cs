using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace L1Net.Serialization;

/// <summary>
/// Saves and loads a <see cref="ClassificationModel"/> as one JSON file (format version 2): the network, the
/// preprocessing, the feature, class and label names and the provenance, so a saved model is usable on its own.
/// Version 1 files (a network only, from <see cref="NetworkSerializer"/>) still load.
/// </summary>
/// <remarks>
/// <para>
/// The format (version 2):
/// <code>
/// { "format": "L1Net.Model", "version": 2,
///   "featureNames": [ "sepal_length", ... ], "inputFeatures": [ 0, 1, ... ],
///   "classNames": [ "setosa", ... ], "labelName": "species",
///   "preprocessing": { "kind": "Standardizer", "means": [ ... ], "scales": [ ... ] },
///   "provenance": { "regularizer": "L1(0.001)", "lambda": 0.001, "epochs": 200, "optimizer": "SGD(lr=0.05)",
///                   "learningRate": 0.05, "batchSize": 16,
///                   "momentum": 0, "loss": "CrossEntropy", "regularizeBiases": false, "seed": 0,
///                   "libraryVersion": "0.1.0", "trainingRows": 120, "trainedAt": "2026-11-26T01:00:00.0000000+00:00",
///                   "notes": "" },
///   "network": { the version 1 network document: "format": "L1Net.Network", "version": 1, "inputSize", "layers" } }
/// </code>
/// <c>featureNames</c> names every feature of a row and <c>inputFeatures</c> lists (ascending) the indices of those the
/// network reads, one per network input: all of them, unless the model was pruned (<see cref="ClassificationModel.Prune"/>).
/// <c>labelName</c>, <c>preprocessing</c> and <c>provenance</c> may be <c>null</c>. Numbers are written in the shortest
/// form that reads back to the same <see cref="float"/> bits, in the invariant format, so a round trip is bit-exact on
/// every machine and culture. Only <see cref="Standardizer"/> preprocessing can be saved.
/// </para>
/// <para>
/// Loading is as strict as <see cref="NetworkSerializer"/>: anything else (wrong format or version, missing or extra
/// members, counts that do not match the network, empty or repeated names, names longer than <see cref="MaxNameLength"/>,
/// non-finite numbers, non-positive scales, documents larger than <see cref="NetworkSerializer.MaxDocumentBytes"/>) is an
/// <see cref="InvalidDataException"/>, and every array length is checked before anything is allocated, so a load's memory
/// is bounded by a constant times the document's size. A version 1 document loads as a model with feature names
/// <c>x0, x1, ...</c>, class names <c>0, 1, ...</c>, no preprocessing and no provenance.
/// </para>
/// <para>
/// <see cref="SaveToFile"/> is atomic for the whole file (a temporary file beside the target, flushed, then moved over it):
/// network, preprocessing and names can never come from different saves.
/// </para>
/// </remarks>
public static class ModelSerializer
{
    /// <summary>The value of the <c>format</c> member of a model document.</summary>
    public const string FormatName = "L1Net.Model";

    /// <summary>The model format version this library writes; it reads this version and version 1 network documents.</summary>
    /// <remarks>A value read at run time, not a compile-time constant: a later version of the library may change it without its callers being recompiled.</remarks>
    public static int CurrentVersion { get; } = 2;

    /// <summary>Longest feature, class or label name (and provenance text) a model file may hold, in UTF-16 characters; saving refuses a longer one.</summary>
    /// <remarks>A value read at run time, not a compile-time constant: a later version of the library may change it without its callers being recompiled.</remarks>
    public static int MaxNameLength { get; } = 1024;

    /// <summary>The <c>kind</c> of saved <see cref="Standardizer"/> preprocessing.</summary>
    private const string StandardizerKind = "Standardizer";

    /// <summary>root, network, layers, layer, weights.</summary>
    private const int MaxDepth = 5;

    private static readonly string[] RootMembers = ["format", "version", "featureNames", "inputFeatures", "classNames", "labelName", "preprocessing", "provenance", "network"];
    private static readonly string[] StandardizerMembers = ["kind", "means", "scales"];
    private static readonly string[] ProvenanceMembers =
        ["regularizer", "lambda", "epochs", "optimizer", "learningRate", "batchSize", "momentum", "loss", "regularizeBiases", "seed", "libraryVersion", "trainingRows", "trainedAt", "notes"];

    /// <summary>Writes <paramref name="model"/> as a version 2 JSON document to <paramref name="stream"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="stream">A writable stream; left open.</param>
    /// <exception cref="ArgumentException">The stream is not writable, the network holds a non-finite parameter, the model's preprocessing is not a <see cref="Standardizer"/>, or a name or provenance text is null or longer than <see cref="MaxNameLength"/> (a file the loader would refuse); nothing is written then.</exception>
    public static void Save(ClassificationModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        CheckSavable(model);
        Write(model, stream);
    }

    /// <summary>Writes the document of a model <see cref="CheckSavable"/> accepted (each caller checks it once).</summary>
    private static void Write(ClassificationModel model, Stream stream)
    {
        // Relaxed escaping: names and dates stay readable ("+00:00", "Käse"); the file is data, never embedded in HTML.
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteString("format", FormatName);
        writer.WriteNumber("version", CurrentVersion);
        WriteStrings(writer, "featureNames", model.FeatureNames);
        writer.WriteStartArray("inputFeatures");
        foreach (int index in model.InputFeatures)
        {
            writer.WriteNumberValue(index);
        }

        writer.WriteEndArray();
        WriteStrings(writer, "classNames", model.ClassNames);
        if (model.LabelName is null)
        {
            writer.WriteNull("labelName");
        }
        else
        {
            writer.WriteString("labelName", model.LabelName);
        }

        if (model.Preprocessor is Standardizer standardizer)
        {
            writer.WriteStartObject("preprocessing");
            writer.WriteString("kind", StandardizerKind);
            NetworkSerializer.WriteArray(writer, "means", standardizer.Means);
            NetworkSerializer.WriteArray(writer, "scales", standardizer.Scales);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("preprocessing");
        }

        WriteProvenance(writer, model.Provenance);
        writer.WritePropertyName("network");
        NetworkSerializer.WriteNetwork(writer, model.Network);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>Returns <paramref name="model"/> as a version 2 JSON string.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The JSON document.</returns>
    /// <exception cref="ArgumentException">The network holds a non-finite parameter, the preprocessing is not a <see cref="Standardizer"/>, or a name or provenance text is null or longer than <see cref="MaxNameLength"/>.</exception>
    public static string ToJson(ClassificationModel model)
    {
        using var stream = new MemoryStream();
        Save(model, stream);
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>
    /// Saves <paramref name="model"/> to <paramref name="path"/> atomically, as one file: the document is written to a
    /// temporary file beside it, flushed to disk, and moved over the target, so a crash never leaves a half-written model
    /// nor a network paired with another save's preprocessing or names.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <exception cref="ArgumentException">The path is empty, the network holds a non-finite parameter, the preprocessing is not a <see cref="Standardizer"/>, or a name or provenance text is null or longer than <see cref="MaxNameLength"/>; the file is not touched then.</exception>
    /// <exception cref="DirectoryNotFoundException">The target's directory does not exist (the message names the target path).</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not create files in the target's directory or replace the target, or the target is a directory (the message names the target path).</exception>
    /// <exception cref="IOException">Another I/O error, such as a full disk (the message names the target path); the previous file, if any, is unchanged.</exception>
    public static void SaveToFile(ClassificationModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckSavable(model); // before the temporary file is created
        NetworkSerializer.SaveAtomically(path, stream => Write(model, stream));
    }

    /// <summary>Reads a model from a version 2 model document or a version 1 network document.</summary>
    /// <param name="stream">A readable stream positioned at the document.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="InvalidDataException">The document is not a valid L1Net model or network of a supported version.</exception>
    public static ClassificationModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        return Parse(NetworkSerializer.ReadAll(stream));
    }

    /// <summary>Reads a model from a JSON string (version 2 model or version 1 network).</summary>
    /// <param name="json">The document.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The document is not a valid L1Net model or network of a supported version.</exception>
    public static ClassificationModel FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        // The cap is on the UTF-8 bytes, as for Load: counted without encoding (a UTF-16 char is 1 to 3 UTF-8 bytes).
        int max = NetworkSerializer.MaxDocumentBytes;
        if (json.Length > max || (json.Length > max / 3 && System.Text.Encoding.UTF8.GetByteCount(json) > max))
        {
            throw new InvalidDataException($"The model document is larger than {max} bytes (UTF-8).");
        }

        return Parse(System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads a model from a file written by <see cref="SaveToFile"/> (or a version 1 file from <see cref="NetworkSerializer.SaveToFile"/>).</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid L1Net model or network of a supported version.</exception>
    public static ClassificationModel LoadFromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(stream);
    }

    private static void CheckSavable(ClassificationModel model)
    {
        if (model.Preprocessor is not null and not Standardizer)
        {
            throw new ArgumentException($"The model's preprocessing ({model.Preprocessor.GetType().Name}) cannot be saved: a model file stores only {nameof(Standardizer)} preprocessing.", nameof(model));
        }

        int bad = Guard.IndexOfNonFinite(model.Network.Parameters);
        if (bad >= 0)
        {
            throw new ArgumentException($"The network holds a non-finite parameter at index {bad}; it cannot be saved.", nameof(model));
        }

        // Whatever is written must load again: the loader's limits on texts, checked before a byte is written.
        for (int i = 0; i < model.FeatureNames.Count; i++)
        {
            CheckSavableText(model.FeatureNames[i], $"feature name {i}");
        }

        for (int k = 0; k < model.ClassNames.Count; k++)
        {
            CheckSavableText(model.ClassNames[k], $"class name {k}");
        }

        if (model.LabelName is { } label)
        {
            CheckSavableText(label, "label name");
        }

        if (model.Provenance is { } p)
        {
            CheckSavableText(p.Regularizer, $"provenance's {nameof(ModelProvenance.Regularizer)}");
            CheckSavableText(p.Optimizer, $"provenance's {nameof(ModelProvenance.Optimizer)}");
            CheckSavableText(p.LibraryVersion, $"provenance's {nameof(ModelProvenance.LibraryVersion)}");
            CheckSavableText(p.Notes, $"provenance's {nameof(ModelProvenance.Notes)}");
        }
    }

    /// <summary>Refuses a text the loader would refuse: null, or longer than <see cref="MaxNameLength"/>.</summary>
    private static void CheckSavableText(string? text, string what)
    {
        if (text is null)
        {
            throw new ArgumentException($"The model's {what} is null; a model file holds a text there (use an empty string).", "model");
        }

        if (text.Length > MaxNameLength)
        {
            throw new ArgumentException($"The model's {what} ({MessageText.Quote(text)}) is longer than the {MaxNameLength} characters a model file holds (ModelSerializer.MaxNameLength); it cannot be saved.", "model");
        }
    }

    private static ClassificationModel Parse(ReadOnlyMemory<byte> utf8) => NetworkSerializer.Parse(utf8, MaxDepth, ReadModel);

    private static ClassificationModel ReadModel(JsonElement root)
    {
        Expect(root.ValueKind == JsonValueKind.Object, "the document must be a JSON object");
        if (root.TryGetProperty("format", out JsonElement format) && format.ValueKind == JsonValueKind.String && format.ValueEquals(NetworkSerializer.FormatName))
        {
            // A version 1 file: the network alone.
            DenseNetwork v1 = NetworkSerializer.ReadNetwork(root);
            Expect(v1.OutputSize >= 2, $"a model needs at least 2 classes, but this version 1 network has {v1.OutputSize} output; read it with {nameof(NetworkSerializer)}");
            return new ClassificationModel(v1, DefaultNames("x", v1.InputSize), DefaultNames(string.Empty, v1.OutputSize));
        }

        Expect(format.ValueKind == JsonValueKind.String && format.ValueEquals(FormatName), $"'format' must be \"{FormatName}\" (or \"{NetworkSerializer.FormatName}\" for a version 1 file)");
        NetworkSerializer.ExpectMembers(root, "the document", RootMembers);
        int version = NetworkSerializer.ReadInt(root, "version", "the document", 1, int.MaxValue);
        if (version != CurrentVersion)
        {
            throw new InvalidDataException($"The model document has version {version}; this library reads model version {CurrentVersion} (and version 1 network files).");
        }

        // The network's arrays are length-checked before it is allocated; name arrays are counted before they are read.
        JsonElement networkElement = root.GetProperty("network");
        Expect(networkElement.ValueKind == JsonValueKind.Object, "'network' must be an object");
        JsonElement featureNames = root.GetProperty("featureNames");
        JsonElement classNames = root.GetProperty("classNames");
        Expect(featureNames.ValueKind == JsonValueKind.Array && classNames.ValueKind == JsonValueKind.Array, "'featureNames' and 'classNames' must be arrays");
        DenseNetwork network = NetworkSerializer.ReadNetwork(networkElement, "'network'");
        JsonElement inputFeatures = root.GetProperty("inputFeatures");
        Expect(inputFeatures.ValueKind == JsonValueKind.Array, "'inputFeatures' must be an array");
        int featureCount = featureNames.GetArrayLength();
        int[] inputs = ReadInputFeatures(inputFeatures, network.InputSize, featureCount);
        string[] features = ReadNames(featureNames, featureCount, "'featureNames'", "features");
        string[] classes = ReadNames(classNames, network.OutputSize, "'classNames'", "network outputs");
        Expect(network.OutputSize >= 2, "a model needs at least 2 classes");

        string? labelName = null;
        JsonElement label = root.GetProperty("labelName");
        if (label.ValueKind != JsonValueKind.Null)
        {
            labelName = ReadName(label, "'labelName'");
        }

        IPreprocessor? preprocessor = ReadPreprocessing(root.GetProperty("preprocessing"), featureCount);
        ModelProvenance? provenance = ReadProvenance(root.GetProperty("provenance"));
        try
        {
            return new ClassificationModel(network, features, classes, inputs) { Preprocessor = preprocessor, LabelName = labelName, Provenance = provenance };
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The model document describes an invalid model: {e.Message}", e);
        }
    }

    private static Standardizer? ReadPreprocessing(JsonElement element, int featureCount)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        Expect(element.ValueKind == JsonValueKind.Object, "'preprocessing' must be an object or null");
        NetworkSerializer.ExpectMembers(element, "'preprocessing'", StandardizerMembers);
        Expect(element.GetProperty("kind") is { ValueKind: JsonValueKind.String } kind && kind.ValueEquals(StandardizerKind), $"'preprocessing' 'kind' must be \"{StandardizerKind}\"");
        NetworkSerializer.ExpectLength(element.GetProperty("means"), featureCount, "'preprocessing' 'means'");
        NetworkSerializer.ExpectLength(element.GetProperty("scales"), featureCount, "'preprocessing' 'scales'");
        var means = new float[featureCount];
        var scales = new float[featureCount];
        NetworkSerializer.ReadValues(element.GetProperty("means"), means, "'preprocessing' 'means'");
        NetworkSerializer.ReadValues(element.GetProperty("scales"), scales, "'preprocessing' 'scales'");
        foreach (float s in scales)
        {
            Expect(s > 0f, "'preprocessing' 'scales' must all be positive");
        }

        return Standardizer.FromStatistics(means, scales);
    }

    private static ModelProvenance? ReadProvenance(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        const string where = "'provenance'";
        Expect(element.ValueKind == JsonValueKind.Object, "'provenance' must be an object or null");
        NetworkSerializer.ExpectMembers(element, where, ProvenanceMembers);
        JsonElement lambda = element.GetProperty("lambda");
        JsonElement trainedAt = element.GetProperty("trainedAt");
        Expect(trainedAt.ValueKind == JsonValueKind.String && trainedAt.GetString()!.Length <= 64
            && DateTimeOffset.TryParseExact(trainedAt.GetString(), "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), "'provenance' 'trainedAt' must be a round-trip (\"O\") date");
        JsonElement regularizeBiases = element.GetProperty("regularizeBiases");
        Expect(regularizeBiases.ValueKind is JsonValueKind.True or JsonValueKind.False, "'provenance' 'regularizeBiases' must be true or false");
        JsonElement loss = element.GetProperty("loss");
        LossFunction? lossValue = null;
        foreach (LossFunction candidate in Enum.GetValues<LossFunction>())
        {
            if (loss.ValueKind == JsonValueKind.String && loss.ValueEquals(candidate.ToString()))
            {
                lossValue = candidate;
            }
        }

        Expect(lossValue is not null, "'provenance' 'loss' must name a loss function");
        return new ModelProvenance
        {
            Regularizer = ReadText(element.GetProperty("regularizer"), "'provenance' 'regularizer'"),
            Lambda = lambda.ValueKind == JsonValueKind.Null ? null : ReadFloat(lambda, "'provenance' 'lambda'"),
            Epochs = NetworkSerializer.ReadInt(element, "epochs", where, 0, int.MaxValue),
            Optimizer = ReadText(element.GetProperty("optimizer"), "'provenance' 'optimizer'"),
            LearningRate = ReadFloat(element.GetProperty("learningRate"), "'provenance' 'learningRate'"),
            BatchSize = NetworkSerializer.ReadInt(element, "batchSize", where, 0, int.MaxValue),
            Momentum = ReadFloat(element.GetProperty("momentum"), "'provenance' 'momentum'"),
            Loss = lossValue!.Value,
            RegularizeBiases = regularizeBiases.GetBoolean(),
            Seed = NetworkSerializer.ReadInt(element, "seed", where, int.MinValue, int.MaxValue),
            LibraryVersion = ReadText(element.GetProperty("libraryVersion"), "'provenance' 'libraryVersion'"),
            TrainingRows = NetworkSerializer.ReadInt(element, "trainingRows", where, 0, int.MaxValue),
            TrainedAt = DateTimeOffset.ParseExact(trainedAt.GetString()!, "O", CultureInfo.InvariantCulture),
            Notes = ReadText(element.GetProperty("notes"), "'provenance' 'notes'"),
        };
    }

    private static void WriteProvenance(Utf8JsonWriter writer, ModelProvenance? p)
    {
        if (p is null)
        {
            writer.WriteNull("provenance");
            return;
        }

        writer.WriteStartObject("provenance");
        writer.WriteString("regularizer", p.Regularizer);
        if (p.Lambda is { } lambda && float.IsFinite(lambda))
        {
            writer.WriteNumber("lambda", lambda);
        }
        else
        {
            writer.WriteNull("lambda");
        }

        writer.WriteNumber("epochs", Math.Max(0, p.Epochs));
        writer.WriteString("optimizer", p.Optimizer);
        writer.WriteNumber("learningRate", float.IsFinite(p.LearningRate) ? p.LearningRate : 0f);
        writer.WriteNumber("batchSize", Math.Max(0, p.BatchSize));
        writer.WriteNumber("momentum", float.IsFinite(p.Momentum) ? p.Momentum : 0f);
        writer.WriteString("loss", p.Loss.ToString());
        writer.WriteBoolean("regularizeBiases", p.RegularizeBiases);
        writer.WriteNumber("seed", p.Seed);
        writer.WriteString("libraryVersion", p.LibraryVersion);
        writer.WriteNumber("trainingRows", Math.Max(0, p.TrainingRows));
        writer.WriteString("trainedAt", p.TrainedAt.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteString("notes", p.Notes);
        writer.WriteEndObject();
    }

    private static int[] ReadInputFeatures(JsonElement array, int inputSize, int featureCount)
    {
        int length = array.GetArrayLength();
        Expect(length == inputSize, $"'inputFeatures' must hold one feature index per network input ({inputSize}), but holds {length}");
        var inputs = new int[inputSize];
        int i = 0, previous = -1;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int index) || index <= previous || index >= featureCount)
            {
                throw Invalid($"'inputFeatures'[{i}] must be an integer index into the {featureCount} 'featureNames', greater than the one before it");
            }

            inputs[i++] = previous = index;
        }

        return inputs;
    }

    private static string[] ReadNames(JsonElement array, int expected, string what, string per)
    {
        int length = array.GetArrayLength();
        Expect(length == expected, $"{what} must hold one name per {per[..^1]} ({expected}), but holds {length}");
        var names = new string[expected];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string name = ReadName(item, what);
            if (!seen.Add(name))
            {
                throw new InvalidDataException($"The model document is invalid: {what} repeats a name (at {i}).");
            }

            names[i++] = name;
        }

        return names;
    }

    // Messages are built only on failure: a valid document with a million names allocates no message.
    private static string ReadName(JsonElement item, string what)
    {
        string name = ReadText(item, what);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw Invalid($"{what} holds an empty name");
        }

        return name;
    }

    private static string ReadText(JsonElement item, string what)
    {
        if (item.ValueKind != JsonValueKind.String)
        {
            throw Invalid($"{what} must be a string");
        }

        string text = item.GetString()!;
        if (text.Length > MaxNameLength)
        {
            throw Invalid($"{what} holds a text longer than {MaxNameLength} characters");
        }

        return text;
    }

    private static float ReadFloat(JsonElement item, string what)
    {
        if (item.ValueKind != JsonValueKind.Number || !item.TryGetSingle(out float v) || !float.IsFinite(v))
        {
            throw Invalid($"{what} must be a finite number");
        }

        return v;
    }

    private static InvalidDataException Invalid(string problem) => NetworkSerializer.Invalid(problem);

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string v in values)
        {
            writer.WriteStringValue(v);
        }

        writer.WriteEndArray();
    }

    private static string[] DefaultNames(string prefix, int count)
    {
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = prefix + i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    private static void Expect(bool condition, string problem) => NetworkSerializer.Expect(condition, problem);
}
