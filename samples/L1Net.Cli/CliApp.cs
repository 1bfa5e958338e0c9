using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Reflection;
using L1Net.Data;
using L1Net.Networks;
using Spectre.Console;

namespace L1Net.Cli;

/// <summary>
/// The command-line trainer: <c>train</c> a network on a CSV file, <c>predict</c> with a saved model. Every failure the user
/// can cause ends in one line on the error writer and a non-zero exit code, never a stack trace.
/// </summary>
internal static class CliApp
{
    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Receives plain output (help, predictions).</param>
    /// <param name="error">Receives the one-line error messages.</param>
    /// <param name="console">Renders tables and the progress bar; null for a plain, non-interactive console on <paramref name="output"/>.</param>
    /// <param name="interrupt">Ctrl+C (<see cref="Interrupt.ForConsole"/>); null for none.</param>
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, IAnsiConsole? console = null, Interrupt? interrupt = null)
    {
        console ??= PlainConsole(output);
        interrupt ??= new Interrupt();
        var root = new RootCommand("L1Net command-line trainer: train a feed-forward network on a CSV file (features, then an integer 'label' column) and score files with the saved model.")
        {
            TrainCommand.Create(console, output, error, interrupt),
            PredictCommand.Create(console, output, error),
            ExportCommand.Create(output, error),
        };
        foreach (VersionOption version in root.Options.OfType<VersionOption>())
        {
            version.Action = new PrintVersion(output);
        }

        // Every number the command line reads or writes means the same on every machine: the options are parsed
        // invariantly (InvariantNumbers) and the reports format invariantly; running under the invariant culture also
        // covers any number inside a message that comes from a library or a package.
        CultureInfo culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            ParseResult parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                string command = parse.CommandResult.Command == root ? string.Empty : $"{parse.CommandResult.Command.Name} ";
                ParseError first = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
                error.WriteLine($"error: {first.Message.ReplaceLineEndings(" ")} (see '{command}--help')");
                return ExitCodes.UsageError;
            }

            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (OneLine(e) is { } message)
        {
            error.WriteLine($"error: {message}");
            return e is CliException cli ? cli.ExitCode : ExitCodes.DataError;
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    /// <summary>The version of the L1Net library this command line runs on (its informational version: package version and commit).</summary>
    public static string LibraryVersion =>
        typeof(DenseNetwork).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(DenseNetwork).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>A console without colours, animation or terminal queries, writing to <paramref name="writer"/> (for tests and redirected output).</summary>
    public static IAnsiConsole PlainConsole(TextWriter writer)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 100;
        return console;
    }

    /// <summary>The message of an exception the user caused, on one line; null for a bug (which then propagates).</summary>
    private static string? OneLine(Exception e)
    {
        string? message = e switch
        {
            CliException or CsvFormatException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                or UnauthorizedAccessException or IOException or ArgumentException => e.Message,
            _ => null,
        };
        if (message is not null && e is ArgumentException { ParamName: { } name })
        {
            // "(Parameter 'x')" names an argument of a method the user never called: drop it.
            message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
        }

        return message?.ReplaceLineEndings(" ");
    }

    /// <summary><c>--version</c>: the library's version, not the sample's own assembly version.</summary>
    private sealed class PrintVersion(TextWriter output) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            output.WriteLine(LibraryVersion);
            return ExitCodes.Success;
        }
    }
}
