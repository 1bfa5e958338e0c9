namespace L1Net.Cli;

/// <summary>
/// Where files really are: the command line refuses to write over one of its own inputs (compared by fully resolved
/// path, every symbolic link followed), and writes through a symbolic link to the file it points to, leaving the link
/// in place.
/// </summary>
internal static class FilePaths
{
    private const int MaxLinks = 40;

    private static readonly StringComparison Comparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>
    /// The absolute path of <paramref name="path"/> with every symbolic link resolved, in the folders and in the file
    /// name itself, component by component like POSIX <c>realpath</c>; parts that do not exist are kept as they are.
    /// </summary>
    public static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full) ?? string.Empty;
        string resolved = root;
        var pending = new List<string>(Split(full[root.Length..]));
        int links = 0;
        while (pending.Count > 0)
        {
            string part = pending[0];
            pending.RemoveAt(0);
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? resolved;
                continue;
            }

            string next = Path.Combine(resolved, part);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                resolved = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"{path}: too many levels of symbolic links.");
            }

            if (Path.IsPathRooted(target))
            {
                resolved = Path.GetPathRoot(target) ?? resolved;
                target = target[resolved.Length..];
            }

            pending.InsertRange(0, Split(target));
        }

        return resolved;
    }

    /// <summary>
    /// Where a write to <paramref name="path"/> lands: the path itself, or, when it is a symbolic link (possibly to a
    /// file that does not exist yet), the file the link finally points to. Writing there atomically keeps the link.
    /// </summary>
    public static string WriteTarget(string path) => Resolve(path);

    /// <summary>
    /// Refuses to write <paramref name="output"/> (named by <paramref name="option"/>) when it is one of the inputs.
    /// </summary>
    public static void RefuseToOverwrite(string option, string output, params (string What, string? Path)[] inputs)
    {
        string target = Resolve(output);
        foreach ((string what, string? input) in inputs)
        {
            if (input is not null && string.Equals(target, Resolve(input), Comparison))
            {
                throw new CliException(
                    $"{option} {output} is the same file as {what} {input}; refusing to overwrite an input: choose another file.",
                    ExitCodes.UsageError);
            }
        }
    }

    /// <summary>Refuses a model path that is not an existing file (missing, or a folder).</summary>
    public static void RequireModelFile(string modelPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new CliException(Directory.Exists(modelPath) ? $"{modelPath} is a folder, not a model file." : $"model file not found: {modelPath}");
        }
    }

    /// <summary>
    /// Refuses, before anything is read or trained, an output path (named by <paramref name="option"/>) that is a folder or
    /// lies in a folder that does not exist; <paramref name="example"/> names the file suggested inside such a folder.
    /// </summary>
    public static void RequireNewFilePath(string option, string output, string what, string example)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new CliException($"{option}: the folder {folder} does not exist.", ExitCodes.UsageError);
        }

        if (Directory.Exists(output))
        {
            throw new CliException($"{option} {output} is a folder; name the {what} file (e.g. {Path.Combine(output, example)}).", ExitCodes.UsageError);
        }
    }

    /// <summary>
    /// Why no file can be created in <paramref name="folder"/> (read-only, no permission, a special file system), or null
    /// when it can: found by creating and deleting a hidden empty file there, so that a long training does not end in a
    /// failed save.
    /// </summary>
    public static string? WhyNotWritable(string folder)
    {
        string probe = Path.Combine(folder, $".l1net-write-check-{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static string[] Split(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
