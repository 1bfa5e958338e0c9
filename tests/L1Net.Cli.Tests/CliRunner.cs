namespace L1Net.Cli.Tests;

/// <summary>Runs the command line in-process on string writers, in a fresh temporary directory per test.</summary>
public sealed class CliRunner : IDisposable
{
    public CliRunner()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"l1net-cli-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>The iris data shipped with the CLI sample (copied to the CLI's output folder).</summary>
    public static string Iris => Path.Combine(AppContext.BaseDirectory, "data", "iris.csv");

    public string PathOf(string name) => Path.Combine(Directory, name);

    public string Write(string name, string text)
    {
        string path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    public CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The failure contract: non-zero exit, exactly one line on stderr starting 'error: ', no stack trace anywhere.</summary>
    public string AssertOneLineError(int exitCode)
    {
        Assert.Equal(exitCode, ExitCode);
        string line = Assert.Single(ErrorLines).TrimEnd('\r');
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Error + Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        return line;
    }
}
