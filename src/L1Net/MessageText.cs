using System.Globalization;

namespace L1Net;

/// <summary>Text of user input shown in exception messages, bounded so that a 10 MB field or name gives a short message.</summary>
internal static class MessageText
{
    /// <summary>Longest piece of user input quoted in a message, in characters.</summary>
    internal const int MaxQuotedLength = 64;

    /// <summary>
    /// <paramref name="text"/> for a message: all of it when short, else its first <see cref="MaxQuotedLength"/> characters
    /// (one fewer where the cut would split a surrogate pair), <c>...</c> and its length; in single quotes when
    /// <paramref name="quoted"/>.
    /// </summary>
    internal static string Quote(string text, bool quoted = true)
    {
        if (text.Length <= MaxQuotedLength)
        {
            return quoted ? $"'{text}'" : text;
        }

        string body = Cut(text, MaxQuotedLength);
        return string.Create(CultureInfo.InvariantCulture, $"{(quoted ? $"'{body}'" : body)} ({text.Length} characters)");
    }

    /// <summary>
    /// The first <paramref name="keep"/> characters of <paramref name="text"/> (one fewer where the cut would split a
    /// surrogate pair) and <c>...</c>; <paramref name="text"/> must be longer than <paramref name="keep"/>.
    /// </summary>
    internal static string Cut(string text, int keep) =>
        string.Concat(text.AsSpan(0, char.IsHighSurrogate(text[keep - 1]) ? keep - 1 : keep), "...");

    /// <summary>
    /// The first <paramref name="max"/> of <paramref name="items"/> (each through <paramref name="format"/> when given),
    /// comma-separated, and <c>, ... N more</c> when there are more.
    /// </summary>
    internal static string List(IReadOnlyList<string> items, int max, Func<string, string>? format = null)
    {
        IEnumerable<string> shown = items.Take(max);
        string text = string.Join(", ", format is null ? shown : shown.Select(format));
        return items.Count <= max ? text : string.Create(CultureInfo.InvariantCulture, $"{text}, ... {items.Count - max} more");
    }
}
