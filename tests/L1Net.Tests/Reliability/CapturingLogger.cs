using Microsoft.Extensions.Logging;

namespace L1Net.Tests.Reliability;

/// <summary>Records every log entry with its event id, level and structured values.</summary>
internal sealed class CapturingLogger : ILogger
{
    public sealed record Entry(EventId EventId, LogLevel Level, IReadOnlyDictionary<string, object?> Values, string Message);

    public List<Entry> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = new Dictionary<string, object?>();
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (KeyValuePair<string, object?> pair in pairs)
            {
                values[pair.Key] = pair.Value;
            }
        }

        Entries.Add(new Entry(eventId, logLevel, values, formatter(state, exception)));
    }
}
