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

        int keep = char.IsHighSurrogate(text[MaxQuotedLength - 1]) ? MaxQuotedLength - 1 : MaxQuotedLength;
        string body = string.Concat(text.AsSpan(0, keep), "...");
        return string.Create(CultureInfo.InvariantCulture, $"{(quoted ? $"'{body}'" : body)} ({text.Length} characters)");
    }
}
