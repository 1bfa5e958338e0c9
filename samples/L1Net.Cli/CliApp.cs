using System.CommandLine;
using System.CommandLine.Parsing;
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
    /// <returns>The exit code (<see cref="ExitCodes"/>).</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, IAnsiConsole? console = null)
    {
        console ??= PlainConsole(output);
        var root = new RootCommand("L1Net command-line trainer: train a feed-forward network on a CSV file (features, then an integer 'label' column) and score files with the saved model.")
        {
            TrainCommand.Create(console, output),
            PredictCommand.Create(console, output, error),
            ExportCommand.Create(output, error),
        };

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
    }

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
        return message?.ReplaceLineEndings(" ");
    }
}
