using Microsoft.Extensions.Logging;

namespace L1Net.Tests.Support;

/// <summary>One captured log call: its event, level, structured values and formatted message.</summary>
internal sealed record LogRecord(LogLevel Level, EventId EventId, IReadOnlyDictionary<string, object?> Values, string Message)
{
    public T Get<T>(string key) => Values.TryGetValue(key, out object? v) ? Assert.IsType<T>(v) : throw new Xunit.Sdk.XunitException($"Event {EventId.Name} has no value '{key}'; it has {string.Join(", ", Values.Keys)}.");
}

/// <summary>An <see cref="ILogger"/> that records every call it is enabled for.</summary>
internal sealed class CapturingLogger(LogLevel minimum = LogLevel.Trace) : ILogger
{
    public List<LogRecord> Records { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var values = new Dictionary<string, object?>();
        if (state is IReadOnlyList<KeyValuePair<string, object?>> list)
        {
            foreach (KeyValuePair<string, object?> pair in list)
            {
                values[pair.Key] = pair.Value;
            }
        }

        Records.Add(new LogRecord(logLevel, eventId, values, formatter(state, exception)));
    }
}
