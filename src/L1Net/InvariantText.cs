using System.Globalization;
using System.Text;

namespace L1Net;

/// <summary>Text of the library's reports written in the invariant culture: a number reads the same on every machine.</summary>
internal static class InvariantText
{
    /// <summary>
    /// A record's text in the compiler's form (<c>Name { A = 1, B = 0.5 }</c>) from its generated <c>PrintMembers</c>,
    /// with every number and date formatted in the invariant culture (the generated <c>ToString</c> uses the current
    /// culture: <c>Loss = 0,5</c> under de-DE).
    /// </summary>
    internal static string Record(string name, Func<StringBuilder, bool> printMembers)
    {
        var builder = new StringBuilder(name).Append(" { ");
        CultureInfo current = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            if (printMembers(builder))
            {
                builder.Append(' ');
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = current;
        }

        return builder.Append('}').ToString();
    }
}
