using System.Globalization;

namespace L1Net.Cli.Tests;

/// <summary>
/// Every number the command line reads or prints means the same under every culture: options use '.' as the decimal
/// point (under de-DE '--lr 0.05' was read as 5, under fr-FR every decimal option was refused) and reports print '.'.
/// </summary>
public sealed class CultureTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string> Cultures => new() { "de-DE", "tr-TR", "fr-FR" };

    private static readonly string[] DecimalOptions =
    [
        "--lr", "0.05", "--test-split", "0.3", "--momentum", "0.5", "--regularizer", "elasticnet", "--lambda", "0.01",
        "--l1-ratio", "0.25", "--threshold", "0.01", "--epochs", "5", "--batch-size", "8", "--seed", "3",
    ];

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Decimal_options_mean_the_same_as_under_the_invariant_culture(string culture)
    {
        CliResult reference = _cli.Run(["train", CliRunner.Iris, .. DecimalOptions, "--model", _cli.PathOf("invariant.json")]);
        Assert.Equal(0, reference.ExitCode);

        CliResult r;
        using (new CultureScope(culture))
        {
            r = _cli.Run(["train", CliRunner.Iris, .. DecimalOptions, "--model", _cli.PathOf("local.json")]);
        }

        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode} under {culture}: {r.Error}");
        Assert.Contains("training 5 epochs, learning rate 0.05, batch 8, momentum 0.5, seed 3", r.Output, StringComparison.Ordinal);
        Assert.Contains("45 rows held out (30% of each class, seed 3)", r.Output, StringComparison.Ordinal);
        Assert.Contains("ElasticNet(0.0025, 0.0075)", r.Output, StringComparison.Ordinal);
        Assert.Contains("|w| < 0.01 ", r.Output, StringComparison.Ordinal);
        Assert.Equal(reference.Output.Replace("invariant.", "local.", StringComparison.Ordinal), r.Output);
        // The same model file, but for the training date.
        static string Model(string path) => System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), "\"trainedAt\": \"[^\"]+\"", "\"trainedAt\": \"\"");
        Assert.Equal(Model(_cli.PathOf("invariant.json")), Model(_cli.PathOf("local.json")));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void A_decimal_comma_is_refused_with_a_hint_under_every_culture(string culture)
    {
        using var scope = new CultureScope(culture);
        string line = _cli.Run("train", CliRunner.Iris, "--lr", "0,05", "--model", _cli.PathOf("m.json")).AssertOneLineError(2);
        Assert.Equal("error: --learning-rate must be a number, not '0,05' (numbers use '.' as the decimal point). (see 'train --help')", line);
        Assert.False(File.Exists(_cli.PathOf("m.json")));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Error_messages_quote_numbers_invariantly(string culture)
    {
        using var scope = new CultureScope(culture);
        Assert.Equal(
            "error: --momentum must be at least 0 and below 1, not 1.5.",
            _cli.Run("train", CliRunner.Iris, "--momentum", "1.5", "--model", _cli.PathOf("m.json")).AssertOneLineError(2));
        Assert.Equal(
            "error: --test-split must be at least 0 and below 1, not 1.5.",
            _cli.Run("train", CliRunner.Iris, "--test-split", "1.5", "--model", _cli.PathOf("m.json")).AssertOneLineError(2));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void The_culture_of_the_caller_is_restored(string culture)
    {
        using var scope = new CultureScope(culture);
        _cli.Run("train", CliRunner.Iris, "--epochs", "1", "--model", _cli.PathOf("m.json"));
        Assert.Equal(culture, CultureInfo.CurrentCulture.Name);
    }

    [Fact]
    public void A_separate_process_under_LANG_de_DE_trains_and_predicts_with_invariant_numbers()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // LANG and LC_ALL choose the culture on Unix only.
        }

        string model = _cli.PathOf("m.json");
        CliResult train = CliProcess.Run(["train", CliRunner.Iris, "--lr", "0.05", "--test-split", "0.3", "--momentum", "0.5", "--threshold", "0.01", "--epochs", "30", "--no-progress", "--model", model], CliProcess.Locale("de_DE.UTF-8"));
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("learning rate 0.05, batch 16, momentum 0.5", train.Output, StringComparison.Ordinal);
        Assert.Contains("45 rows held out (30% of each class, seed 0)", train.Output, StringComparison.Ordinal);
        Assert.Contains("|w| < 0.01 ", train.Output, StringComparison.Ordinal);
        Assert.InRange(TrainCommandTests.Accuracy(train.Output, "train"), 0.8, 1.0);

        CliResult predict = CliProcess.Run(["predict", model, CliRunner.Iris], CliProcess.Locale("de_DE.UTF-8"));
        Assert.Equal(0, predict.ExitCode);
        Assert.Matches(@"^accuracy 0\.\d{4} \(\d+ of 150 rows\)", predict.Error);
        Assert.Matches(@"^\d,0\.\d{6},0\.\d{6},0\.\d{6}$", predict.OutputLines[1]);
    }
}

/// <summary>Sets <see cref="CultureInfo.CurrentCulture"/> for a block and restores it.</summary>
internal sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _previous = CultureInfo.CurrentCulture;

    public CultureScope(string name) => CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);

    public void Dispose() => CultureInfo.CurrentCulture = _previous;
}
