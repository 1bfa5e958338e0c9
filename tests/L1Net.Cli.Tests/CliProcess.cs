using System.Diagnostics;
using System.Text;

namespace L1Net.Cli.Tests;

/// <summary>
/// Runs the built command line as a separate process (<c>dotnet L1Net.Cli.dll ...</c>), for what only a real process
/// shows: the culture taken from LANG/LC_ALL, and Ctrl+C (SIGINT).
/// </summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly object _gate = new();

    public CliProcess(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, bool defaultSigint = false)
    {
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

        // A process started in the background by a non-interactive shell (a CI script, `cmd &`) inherits SIGINT as
        // ignored, and the runtime then never raises Ctrl+C. coreutils' env gives the child SIGINT's default disposition
        // back before it becomes the CLI (same process id), so the interrupt tests mean the same wherever they run.
        bool resetSigint = defaultSigint && EnvResetsSignals.Value;
        var start = new ProcessStartInfo(resetSigint ? "/usr/bin/env" : host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        if (resetSigint)
        {
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add(host);
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "L1Net.Cli.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    /// <summary>Whether this system's <c>/usr/bin/env</c> takes <c>--default-signal</c> (GNU coreutils 8.31 and later).</summary>
    private static readonly Lazy<bool> EnvResetsSignals = new(() =>
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/env"))
        {
            return false;
        }

        try
        {
            using Process probe = Process.Start(new ProcessStartInfo("/usr/bin/env", ["--default-signal=INT", "true"]) { RedirectStandardError = true, UseShellExecute = false })!;
            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    /// <summary>The environment of a process under <paramref name="locale"/> (e.g. de_DE.UTF-8), with globalization not invariant.</summary>
    public static Dictionary<string, string?> Locale(string locale) => new()
    {
        ["LANG"] = locale,
        ["LC_ALL"] = locale,
        ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = null,
    };

    /// <summary>Runs to the end (at most three minutes: the machine may be shared and loaded).</summary>
    public static CliResult Run(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = new CliProcess(args, environment);
        return process.WaitForExit(TimeSpan.FromMinutes(3));
    }

    /// <summary>Waits until standard output holds <paramref name="text"/> (false after <paramref name="timeout"/> or when the process ended).</summary>
    public bool WaitForOutput(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            lock (_gate)
            {
                if (_output.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            if (_process.HasExited)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return false;
    }

    /// <summary>Sends SIGINT, what Ctrl+C in a terminal sends.</summary>
    public void Interrupt()
    {
        using Process kill = Process.Start("kill", ["-INT", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public CliResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"the command line did not end within {timeout}; output so far:\n{Snapshot()}");
        }

        _process.WaitForExit(); // drains the asynchronous readers
        lock (_gate)
        {
            return new CliResult(_process.ExitCode, _output.ToString(), _error.ToString());
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private string Snapshot()
    {
        lock (_gate)
        {
            return _output + "\n" + _error;
        }
    }

    private void Append(StringBuilder to, string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                to.Append(line).Append('\n');
            }
        }
    }
}
