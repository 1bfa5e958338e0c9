using System.Globalization;

namespace L1Net.CustomRegularizer.Tests;

/// <summary>Runs the sample's comparison once and shares its report.</summary>
public sealed class ComparisonFixture
{
    public ComparisonFixture()
    {
        Report = Write(CultureInfo.InvariantCulture);
    }

    public static string CsvPath => Path.Combine(AppContext.BaseDirectory, "data", "wine.csv");

    public string Report { get; }

    public static string Write(CultureInfo culture)
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = culture;
            var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            Comparison.Write(writer, CsvPath);
            return writer.ToString();
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}

public class ComparisonTests(ComparisonFixture comparison) : IClassFixture<ComparisonFixture>
{
    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("tr-TR")]
    public void Report_is_the_same_in_every_culture(string culture)
    {
        Assert.Contains(" 0.08079\n", comparison.Report, StringComparison.Ordinal); // a decimal point, not a comma
        Assert.Equal(comparison.Report, ComparisonFixture.Write(CultureInfo.GetCultureInfo(culture)));
    }

    [Fact]
    public void Every_check_in_the_report_passes()
    {
        string[] answers = [.. comparison.Report.Split('\n').Where(l => l.EndsWith(": yes", StringComparison.Ordinal) || l.EndsWith(": NO", StringComparison.Ordinal))];
        Assert.Equal(8, answers.Length);
        Assert.All(answers, a => Assert.EndsWith(": yes", a, StringComparison.Ordinal));
    }

    [Fact]
    public void Declared_L1_row_equals_the_built_in_row_and_proximal_rows_have_exact_zeros()
    {
        IReadOnlyList<Comparison.Run> runs = Comparison.RunAll(ComparisonFixture.CsvPath);
        Assert.Equal("L1(0.002)", runs[1].Regularizer);
        Assert.Equal(runs[1] with { Regularizer = "", Parameters = [] }, runs[2] with { Regularizer = "", Parameters = [] });
        Assert.Equal(runs[1].Parameters, runs[2].Parameters);
        Assert.Equal(0, runs[1].Weights.ExactZeros);
        Assert.True(runs[5].Weights.ExactZeros > 0 && runs[6].Weights.ExactZeros > 0);
        Assert.All(runs, r => Assert.True(r.TestAccuracy > 0.9, $"{r.Regularizer}: {r.TestAccuracy}"));
    }
}
