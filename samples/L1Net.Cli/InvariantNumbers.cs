using System.CommandLine.Parsing;
using System.Globalization;

namespace L1Net.Cli;

/// <summary>
/// Parsers for numeric options that read the same on every machine: '.' is the decimal point whatever the culture
/// (System.CommandLine's own conversion uses the current culture, so under de-DE '--lr 0.05' was read as 5). A value
/// written with a decimal comma is refused with a message that says so.
/// </summary>
internal static class InvariantNumbers
{
    /// <summary>For <c>Option&lt;double&gt;.CustomParser</c>.</summary>
    public static double Double(ArgumentResult result) =>
        Parse(result, "a number", static s => (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v), v));

    /// <summary>For <c>Option&lt;float&gt;.CustomParser</c>.</summary>
    public static float Single(ArgumentResult result) =>
        Parse(result, "a number", static s => (float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float v), v));

    /// <summary>For <c>Option&lt;int&gt;.CustomParser</c>.</summary>
    public static int Int32(ArgumentResult result) =>
        Parse(result, "a whole number", static s => (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v), v));

    private static T Parse<T>(ArgumentResult result, string what, Func<string, (bool Ok, T Value)> parse)
        where T : struct
    {
        string name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        if (result.Tokens.Count != 1)
        {
            result.AddError($"{name} needs one value.");
            return default;
        }

        string text = result.Tokens[0].Value;
        (bool ok, T value) = parse(text.Trim());
        if (!ok)
        {
            string hint = text.Contains(',', StringComparison.Ordinal) ? " (numbers use '.' as the decimal point)" : string.Empty;
            result.AddError($"{name} must be {what}, not '{text}'{hint}.");
        }

        return value;
    }
}
