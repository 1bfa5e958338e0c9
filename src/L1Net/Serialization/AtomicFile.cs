using System.Globalization;
using System.Security.Cryptography;

namespace L1Net.Serialization;

/// <summary>
/// Writes a file whole or not at all: into a flushed temporary file beside the target, then moved over it. Compiled into
/// L1Net and, as a linked source file, into L1Net.Onnx: the two packages are versioned apart, so the ONNX package must not
/// call an internal member of whichever L1Net version it runs against (no InternalsVisibleTo between them).
/// </summary>
/// <remarks>
/// The temporary file is hidden and its name is bounded whatever the target's name (at most
/// <see cref="MaxTemporaryNameLength"/> characters): <c>.PREFIX.HASH.RANDOM.tmp</c>, where <c>PREFIX</c> is the target's
/// file name cut to <see cref="TemporaryPrefixLength"/> characters (never inside a surrogate pair), <c>HASH</c> 8 hex digits
/// of an FNV-1a hash of the whole file name and <c>RANDOM</c> 16 random hex digits. After a successful write, leftovers of
/// killed writes of the same target (that exact pattern, older than <see cref="StaleTemporaryAge"/>, not held open) are
/// removed.
/// The "not held open" test relies on the writer's <see cref="FileShare.None"/> lock. On Unix that lock is advisory: it
/// holds between .NET writers (unless <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> is set) but not against other programs,
/// which is one reason a leftover must also be older than <see cref="StaleTemporaryAge"/> (a write takes well under that).
/// </remarks>
internal static class AtomicFile
{
    /// <summary>How many characters of the target's file name the temporary name keeps.</summary>
    public const int TemporaryPrefixLength = 40;

    /// <summary>Longest temporary file name: <c>.</c>, prefix, <c>.</c>, 8 hash digits, <c>.</c>, 16 random digits, <c>.tmp</c>.</summary>
    public const int MaxTemporaryNameLength = 1 + TemporaryPrefixLength + 1 + 8 + 1 + RandomDigits + 4;

    private const int RandomDigits = 16;

    /// <summary>How old (by last write time) a leftover temporary file of the same target must be before a write removes it.</summary>
    public static TimeSpan StaleTemporaryAge { get; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Writes the file <paramref name="path"/> through a temporary file beside it (see the class remarks), then removes
    /// stale leftovers of the same target. Failures name the target, never the temporary file:
    /// "Cannot <paramref name="action"/> to '<c>full path</c>': ...". The temporary file is gone afterwards, whatever
    /// happened; a previous target is unchanged by a failure.
    /// </summary>
    /// <param name="path">The target, relative or full.</param>
    /// <param name="action">What is done, for the messages: "save the model", "write the ONNX model".</param>
    /// <param name="write">Writes the document to the stream.</param>
    /// <exception cref="UnauthorizedAccessException">The target is a directory, or access is denied.</exception>
    /// <exception cref="DirectoryNotFoundException">The target's folder does not exist.</exception>
    /// <exception cref="IOException">Another I/O failure.</exception>
    public static void Write(string path, string action, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        string name = Path.GetFileName(full);
        Write(full, directory, Path.Combine(directory, TemporaryName(name)), action, write);
        SweepStaleTemporaries(directory, name, DateTime.UtcNow - StaleTemporaryAge);
    }

    /// <summary>The temporary file name for a target file name: <c>.PREFIX.HASH.RANDOM.tmp</c>, bounded in length.</summary>
    public static string TemporaryName(string fileName) =>
        string.Create(CultureInfo.InvariantCulture, $"{TemporaryStem(fileName)}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomDigits / 2))}.tmp");

    /// <summary>The part of <see cref="TemporaryName"/> shared by every temporary file of one target: <c>.PREFIX.HASH.</c>.</summary>
    public static string TemporaryStem(string fileName)
    {
        int keep = Math.Min(fileName.Length, TemporaryPrefixLength);
        if (keep > 0 && keep < fileName.Length && char.IsHighSurrogate(fileName[keep - 1]))
        {
            keep--; // never split a surrogate pair
        }

        // FNV-1a over the UTF-16 code units: stable across processes and runs, unlike string.GetHashCode.
        uint hash = 2166136261;
        foreach (char c in fileName)
        {
            hash = (hash ^ c) * 16777619;
        }

        return string.Create(CultureInfo.InvariantCulture, $".{fileName.AsSpan(0, keep)}.{hash:x8}.");
    }

    /// <summary>Removes temporary files of <paramref name="fileName"/>'s writes that are older than <paramref name="cutoffUtc"/> and not held open.</summary>
    public static void SweepStaleTemporaries(string directory, string fileName, DateTime cutoffUtc)
    {
        string stem = TemporaryStem(fileName);
        try
        {
            foreach (string candidate in Directory.EnumerateFiles(directory, "*.tmp"))
            {
                string name = Path.GetFileName(candidate);
                if (!IsTemporaryOf(name, stem) || File.GetLastWriteTimeUtc(candidate) > cutoffUtc)
                {
                    continue;
                }

                try
                {
                    // A writer holds its temporary file with FileShare.None; opening it the same way fails while it writes.
                    // Deleted on close, while still held: no window between the check and the delete.
                    using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose))
                    {
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // In use, or not ours to delete: leave it.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write itself succeeded; cleaning up is best effort.
        }
    }

    private static bool IsTemporaryOf(string name, string stem)
    {
        if (name.Length != stem.Length + RandomDigits + 4 || !name.StartsWith(stem, StringComparison.Ordinal) || !name.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in name.AsSpan(stem.Length, RandomDigits))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes <paramref name="full"/> through <paramref name="temp"/> (a new file in the same <paramref name="directory"/>).</summary>
    private static void Write(string full, string directory, string temp, string action, Action<Stream> write)
    {
        if (Directory.Exists(full))
        {
            throw new UnauthorizedAccessException(FormattableString.Invariant($"Cannot {action} to '{full}': it is a directory."));
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
                throw new DirectoryNotFoundException(FormattableString.Invariant($"Cannot {action} to '{full}': the directory '{directory}' does not exist."), e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new UnauthorizedAccessException(FormattableString.Invariant($"Cannot {action} to '{full}': access denied ({e.Message})."), e);
            }
            catch (IOException e)
            {
                // The failure may name the temporary file (a read-only or special file system): name the target.
                throw new IOException(FormattableString.Invariant($"Cannot {action} to '{full}': {e.Message}"), e);
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
