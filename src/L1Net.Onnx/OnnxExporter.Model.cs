using L1Net.Data;
using L1Net.Networks;

namespace L1Net.Onnx;

public static partial class OnnxExporter
{
    /// <summary>Writes <paramref name="model"/> (its network, standardization, feature and class names, label name and provenance) as an ONNX model to the file <paramref name="path"/>, replacing it.</summary>
    /// <param name="model">The trained classifier.</param>
    /// <param name="path">The file to write; written to a temporary file first, then moved.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="NotSupportedException">The model's preprocessor is not a <see cref="Standardizer"/> (it has no ONNX form), or a layer has no ONNX operator.</exception>
    /// <exception cref="DirectoryNotFoundException">The target's directory does not exist (the message names the target).</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not write there, or the target is a directory (the message names the target).</exception>
    /// <exception cref="IOException">The file cannot be written (the message names the target); a previous file is unchanged.</exception>
    /// <remarks>To change names or add metadata, start from <see cref="OnnxExportOptions.ForModel"/> and call <see cref="ExportToFile(INetwork, string, OnnxExportOptions?)"/> with <c>model.Network</c>.</remarks>
    public static void ExportToFile(ClassificationModel model, string path) =>
        ExportToFile(NetworkOf(model), path, OnnxExportOptions.ForModel(model));

    /// <summary>Writes <paramref name="model"/> as an ONNX model to <paramref name="destination"/> (see <see cref="ExportToFile(ClassificationModel, string)"/>).</summary>
    /// <param name="model">The trained classifier.</param>
    /// <param name="destination">A writable stream; not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="destination"/> is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="NotSupportedException">The model's preprocessor or a layer has no ONNX form.</exception>
    public static void ExportToStream(ClassificationModel model, Stream destination) =>
        ExportToStream(NetworkOf(model), destination, OnnxExportOptions.ForModel(model));

    /// <summary>The ONNX model of <paramref name="model"/> as bytes (see <see cref="ExportToFile(ClassificationModel, string)"/>).</summary>
    /// <param name="model">The trained classifier.</param>
    /// <returns>The serialized <c>ModelProto</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="NotSupportedException">The model's preprocessor or a layer has no ONNX form.</exception>
    public static byte[] ExportToArray(ClassificationModel model) =>
        ExportToArray(NetworkOf(model), OnnxExportOptions.ForModel(model));

    private static DenseNetwork NetworkOf(ClassificationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Network;
    }
}
