namespace L1Net.Serialization;

/// <summary>
/// Writes a file whole or not at all: into a flushed temporary file beside the target, then moved over it. Compiled into
/// L1Net and, as a linked source file, into L1Net.Onnx: the two packages are versioned apart, so the ONNX package must not
/// call an internal member of whichever L1Net version it runs against (no InternalsVisibleTo between them).
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="full"/> through <paramref name="temp"/> (a new file in the same folder). Failures name the
    /// target, never the temporary file: "Cannot <paramref name="action"/> to '<paramref name="full"/>': ...". The temporary
    /// file is gone afterwards, whatever happened; a previous target is unchanged by a failure.
    /// </summary>
    /// <param name="full">The target's full path.</param>
    /// <param name="temp">The temporary file's full path, in the target's folder.</param>
    /// <param name="action">What is done, for the messages: "save the model", "write the ONNX model".</param>
    /// <param name="write">Writes the document to the stream.</param>
    /// <exception cref="UnauthorizedAccessException">The target is a directory, or access is denied.</exception>
    /// <exception cref="DirectoryNotFoundException">The target's folder does not exist.</exception>
    /// <exception cref="IOException">Another I/O failure.</exception>
    public static void Write(string full, string temp, string action, Action<Stream> write)
    {
        string directory = Path.GetDirectoryName(full) ?? ".";
        if (Directory.Exists(full))
        {
            throw new UnauthorizedAccessException($"Cannot {action} to '{full}': it is a directory.");
        }

        try
        {
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, full, overwrite: true);
            }
            catch (DirectoryNotFoundException e)
            {
                throw new DirectoryNotFoundException($"Cannot {action} to '{full}': the directory '{directory}' does not exist.", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new UnauthorizedAccessException($"Cannot {action} to '{full}': access denied ({e.Message}).", e);
            }
            catch (IOException e)
            {
                // The failure may name the temporary file (a read-only or special file system): name the target.
                throw new IOException($"Cannot {action} to '{full}': {e.Message}", e);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
