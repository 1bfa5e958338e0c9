namespace L1Net.Cli;

/// <summary>Text from files quoted in one-line messages, bounded: a 10 MB column name or 300,000 names stay one short line.</summary>
internal static class CliText
{
    /// <summary>Longest piece of a file's text quoted in a message, in characters.</summary>
    public const int MaxQuoted = 64;

    /// <summary><paramref name="text"/> in single quotes, cut to <see cref="MaxQuoted"/> characters with "..." and its length when longer.</summary>
    public static string Quote(string text)
    {
        if (text.Length <= MaxQuoted)
        {
            return $"'{text}'";
        }

        int keep = char.IsHighSurrogate(text[MaxQuoted - 1]) ? MaxQuoted - 1 : MaxQuoted;
        return FormattableString.Invariant($"'{text[..keep]}...' ({text.Length} characters)");
    }

    /// <summary>The first <paramref name="max"/> names, comma-separated, then ", ... N more".</summary>
    public static string List(IReadOnlyList<string> names, int max = 12)
    {
        string shown = string.Join(", ", names.Take(max).Select(n => n.Length <= MaxQuoted ? n : Quote(n)));
        return names.Count <= max ? shown : FormattableString.Invariant($"{shown}, ... {names.Count - max} more");
    }
}
