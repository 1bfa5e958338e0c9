using System.Text.Json;
using L1Net.Serialization;
using Spectre.Console;

namespace L1Net.Cli.Tests;

/// <summary>
/// Ctrl+C: the first one stops training cleanly through the library's cancellation token; the command reports what was
/// trained so far in one line plus the usual tables, saves only with --save-on-cancel, and exits with 130.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private static readonly string[] Endless = ["--epochs", "100000000", "--batch-size", "1", "--hidden", "8", "--no-progress"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SIGINT_stops_a_real_process_cleanly_with_exit_code_130(bool saveOnCancel)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no SIGINT to send
        }

        string model = _cli.PathOf("m.json");
        using var process = new CliProcess(["train", CliRunner.Iris, .. Endless, "--model", model, .. saveOnCancel ? ["--save-on-cancel"] : Array.Empty<string>()], defaultSigint: true);
        Assert.True(process.WaitForOutput("training 100000000 epochs", TimeSpan.FromMinutes(3)), "training never started");
        Thread.Sleep(500);
        process.Interrupt();
        CliResult r = process.WaitForExit(TimeSpan.FromMinutes(3));

        Assert.Equal(130, r.ExitCode);
        string line = Assert.Single(r.ErrorLines);
        Assert.Matches(@"^interrupted: Ctrl\+C stopped training in epoch [1-9]\d* of 100000000 after [1-9]\d* steps \(\d+ whole epochs\); the model as trained so far is reported below and ", line);
        Assert.Contains(saveOnCancel ? "and saved (--save-on-cancel)." : "and was not saved (--save-on-cancel saves it).", line, StringComparison.Ordinal);
        Assert.InRange(TrainCommandTests.Accuracy(r.Output, "train"), 0.0, 1.0);
        Assert.Contains("weights (biases excluded)", r.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Output + r.Error, StringComparison.Ordinal);
        Assert.Equal(saveOnCancel, File.Exists(model));
        Assert.False(File.Exists(_cli.PathOf("m.meta.json")));
        if (saveOnCancel)
        {
            Assert.Contains("(stopped by Ctrl+C after ", ModelSerializer.LoadFromFile(model).Provenance!.Notes, StringComparison.Ordinal);
            Assert.Equal(0, _cli.Run("predict", model, CliRunner.Iris).ExitCode);
        }
    }

    [Fact]
    public void A_stop_before_the_first_step_reports_an_untrained_network_and_saves_nothing()
    {
        string model = _cli.PathOf("m.json");
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exit = CliApp.Run(["train", CliRunner.Iris, "--epochs", "50", "--model", model], output, error, interrupt: new Interrupt(stop.Token));

        Assert.Equal(130, exit);
        Assert.Equal(
            "interrupted: Ctrl+C stopped training in epoch 1 of 50 after 0 steps (0 whole epochs); the model as trained so far is reported below and was not saved (--save-on-cancel saves it).",
            error.ToString().Trim());
        Assert.Contains("accuracy", output.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void A_stop_during_cross_validation_ends_with_130_and_one_line()
    {
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exit = CliApp.Run(["train", CliRunner.Iris, "--regularizer", "proximal-l1", "--lambda", "cv", "--epochs", "5", "--model", _cli.PathOf("m.json")], output, error, interrupt: new Interrupt(stop.Token));

        Assert.Equal(130, exit);
        Assert.Equal("interrupted: Ctrl+C stopped the cross-validation of --lambda cv; nothing was trained to the end, nothing was saved.", error.ToString().Trim());
        Assert.False(File.Exists(_cli.PathOf("m.json")));
    }

    [Fact]
    public void The_progress_display_gives_the_cursor_back_when_training_is_stopped()
    {
        using var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(writer),
        });
        using var stop = new CancellationTokenSource();
        using var error = new StringWriter();
        stop.CancelAfter(TimeSpan.FromMilliseconds(300));

        int exit = CliApp.Run(["train", CliRunner.Iris, "--epochs", "100000000", "--batch-size", "1", "--model", _cli.PathOf("m.json")], writer, error, console, new Interrupt(stop.Token));

        Assert.Equal(130, exit);
        string text = writer.ToString();
        const string Hide = "\u001b[?25l", Show = "\u001b[?25h";
        Assert.Contains(Hide, text, StringComparison.Ordinal);
        Assert.True(text.LastIndexOf(Show, StringComparison.Ordinal) > text.LastIndexOf(Hide, StringComparison.Ordinal), "the cursor is left hidden");
    }

    [Fact]
    public void Only_the_first_Ctrl_C_during_training_is_taken_the_others_end_the_process()
    {
        var interrupt = new Interrupt();
        Assert.False(interrupt.Request()); // nothing that can stop cleanly is running: the process ends as usual
        using (interrupt.Arm())
        {
            Assert.True(interrupt.Request());
            Assert.True(interrupt.Token.IsCancellationRequested);
            Assert.False(interrupt.Request()); // a second Ctrl+C ends the process
        }

        Assert.False(interrupt.Request());
    }
}
