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
        using (UseInvariantCulture())
        {
            if (printMembers(builder))
            {
                builder.Append(' ');
            }
        }

        return builder.Append('}').ToString();
    }

    /// <summary>
    /// Makes the invariant culture current on this thread until the scope is disposed, for text formatted by code that
    /// uses the current culture (a source-generated log message of more than six values formats them by interpolation).
    /// </summary>
    internal static CultureScope UseInvariantCulture()
    {
        var scope = new CultureScope(CultureInfo.CurrentCulture);
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        return scope;
    }

    /// <summary>Restores the culture that was current when <see cref="UseInvariantCulture"/> was called.</summary>
    internal readonly struct CultureScope(CultureInfo previous) : IDisposable
    {
        public void Dispose() => CultureInfo.CurrentCulture = previous;
    }
}
