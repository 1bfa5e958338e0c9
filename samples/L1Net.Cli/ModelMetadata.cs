using System.Text.Json;
using System.Text.Json.Serialization;

namespace L1Net.Cli;

/// <summary>
/// What <c>predict</c> needs besides the network, saved beside the model as <c>NAME.meta.json</c>: the feature names (to
/// check the columns of the file being scored), the label column, the class count and the standardization fitted on the
/// training data, so that <c>predict</c> takes raw CSV values just as <c>train</c> did.
/// </summary>
internal sealed class ModelMetadata
{
    public const string FormatName = "L1Net.Cli.Model";
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = CurrentVersion;

    public required string[] FeatureNames { get; init; }

    public required string LabelColumn { get; init; }

    public required int ClassCount { get; init; }

    public required string Training { get; init; }

    public float[]? Mean { get; init; }

    public float[]? Scale { get; init; }

    [JsonIgnore]
    public Standardization? Standardization => Mean is null || Scale is null ? null : new Standardization(Mean, Scale);

    /// <summary>The metadata file that belongs to a model file: <c>model.json</c> -> <c>model.meta.json</c>.</summary>
    public static string PathFor(string modelPath) => Path.ChangeExtension(modelPath, ".meta.json");

    public void Save(string path)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, JsonOptions));
        File.Move(temp, path, overwrite: true);
    }

    public static ModelMetadata Load(string path)
    {
        ModelMetadata? meta;
        try
        {
            meta = JsonSerializer.Deserialize<ModelMetadata>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new CliException($"{path} is not a valid model metadata file: {e.Message}");
        }

        if (meta is null || meta.Format != FormatName || meta.Version != CurrentVersion)
        {
            throw new CliException($"{path} is not a version {CurrentVersion} {FormatName} metadata file.");
        }

        int f = meta.FeatureNames.Length;
        if (f == 0 || meta.ClassCount < 2 || (meta.Mean is null) != (meta.Scale is null)
            || (meta.Mean is not null && (meta.Mean.Length != f || meta.Scale!.Length != f
                || meta.Mean.Any(v => !float.IsFinite(v)) || meta.Scale.Any(v => !float.IsFinite(v) || v <= 0f))))
        {
            throw new CliException($"{path} is inconsistent: feature names, class count and standardization do not fit together.");
        }

        return meta;
    }
}
