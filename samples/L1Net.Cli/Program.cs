using Spectre.Console;

namespace L1Net.Cli;

internal static class Program
{
    public static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error, AnsiConsole.Console, Interrupt.ForConsole());
}
