using System.Globalization;

namespace L1Net.Tests.Support;

/// <summary>Makes a culture current on this thread until disposed, then restores the one that was current.</summary>
internal sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _previous = CultureInfo.CurrentCulture;

    public CultureScope(CultureInfo culture) => CultureInfo.CurrentCulture = culture;

    public CultureScope(string name)
        : this(CultureInfo.GetCultureInfo(name))
    {
    }

    public void Dispose() => CultureInfo.CurrentCulture = _previous;
}
