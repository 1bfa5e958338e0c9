using System.CommandLine;

namespace L1Net.Cli;

/// <summary>
/// <c>--delimiter</c> of <c>train</c> and <c>predict</c>. Its rule is defined once, in <see cref="Refused"/>: the check,
/// the error message and the help text are all made from it.
/// </summary>
internal static class DelimiterOption
{
    /// <summary>
    /// What a delimiter must not be, each with its test: the CSV reader's rule (<c>CsvDatasetOptions.Delimiter</c>), checked
    /// here so that a bad value is a usage error named by its option; stricter than the reader in one point: no control
    /// character but tab (the reader refuses only line breaks).
    /// </summary>
    private static readonly (string Description, Func<char, bool> Refuses)[] Refused =
    [
        ("a quote", static c => c == '"'),
        ("a letter", char.IsLetter),
        ("a digit", char.IsDigit),
        ("a space", static c => c == ' '),
        ("a control character", static c => char.IsControl(c) && c != '\t'),
        ("one of . + - _ (which are parts of numbers and names)", static c => c is '.' or '+' or '-' or '_'),
    ];

    /// <summary>What a delimiter may not be, as one phrase: "a quote, a letter, ... or one of . + - _ (...)".</summary>
    public static string RefusedText { get; } =
        string.Join(", ", Refused[..^1].Select(r => r.Description)) + " or " + Refused[^1].Description;

    /// <summary>The option, described with <paramref name="files"/> ("file", "files") and the rule.</summary>
    public static Option<string> Create(string files) => new("--delimiter")
    {
        Description = $"Field delimiter of the CSV {files}: one character, or 'tab'; it must not be {RefusedText}.",
        DefaultValueFactory = _ => ",",
        HelpName = "char",
    };

    /// <summary>Reads a <c>--delimiter</c> value: one character (not half of a surrogate pair) or <c>tab</c>, within the rule.</summary>
    /// <exception cref="CliException">A usage error naming the option.</exception>
    public static char Parse(string text)
    {
        char delimiter = text switch
        {
            "tab" or "\\t" => '\t',
            { Length: 1 } when !char.IsSurrogate(text[0]) => text[0],
            _ => throw new CliException($"--delimiter must be one character or 'tab', not '{text}'.", ExitCodes.UsageError),
        };

        if (Refused.Any(r => r.Refuses(delimiter)))
        {
            throw new CliException($"--delimiter cannot be '{text}': it must not be {RefusedText}.", ExitCodes.UsageError);
        }

        return delimiter;
    }
}
