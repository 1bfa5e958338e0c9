using System.Text;

namespace L1Net.Tests.Reliability;

public class BadInputCatalogueTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (BadInputCatalogue.Case c in BadInputCatalogue.All)
        {
            data.Add(c.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Rejects_bad_input_with_the_named_exception_and_parameter_and_changes_nothing(string id)
    {
        BadInputCatalogue.Case c = BadInputCatalogue.Get(id);
        BadInputCatalogue.Prepared prepared = c.Prepare();
        string before = prepared.State();

        Exception? e = Record.Exception(prepared.Act);

        Assert.NotNull(e);
        Assert.IsType(c.Exception, e, exactMatch: true);
        if (c.Param is not null)
        {
            Assert.Equal(c.Param, Assert.IsAssignableFrom<ArgumentException>(e).ParamName);
        }
        else if (e is ArgumentException a)
        {
            Assert.Null(a.ParamName);
        }

        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        Assert.Equal(before, prepared.State());
    }

    [Fact]
    public void The_catalogue_has_at_least_40_distinct_cases()
    {
        Assert.True(BadInputCatalogue.All.Count >= 40, $"only {BadInputCatalogue.All.Count} cases");
        Assert.Equal(BadInputCatalogue.All.Count, BadInputCatalogue.All.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void Every_public_TrainerOptions_property_with_a_range_has_a_case()
    {
        string[] validated = ["Epochs", "LearningRate", "BatchSize", "Momentum", "Optimizer", "Loss", "ReportInterval", "ProgressInterval", "LayerRegularizers", "MaxDegreeOfParallelism"];
        foreach (string property in validated)
        {
            Assert.Contains(BadInputCatalogue.All, c => c.Param == property);
        }

        // EarlyStopping is validated through its own options' members.
        foreach (string nested in new[] { "Validation", "Patience", "Tolerance", "CheckInterval" })
        {
            Assert.Contains(BadInputCatalogue.All, c => c.Param == nested && c.Id.StartsWith("options-early-stopping", StringComparison.Ordinal));
        }

        // The rest accept every value: Seed (any int), SampleOrder / OutputErrorRule (null = default; bad behaviour is
        // caught in Train and has its own cases), RegularizeBiases (bool).
        string[] all = typeof(TrainerOptions).GetProperties().Select(p => p.Name).ToArray();
        Assert.Equal(
            validated.Concat(["Seed", "SampleOrder", "OutputErrorRule", "RegularizeBiases", "EarlyStopping"]).Order(),
            all.Order());
    }

    [Fact]
    public void Docs_reliability_lists_every_case_with_its_exception_and_parameter()
    {
        string doc = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot(), "docs", "reliability.md"));
        string expected = Table();
        int start = doc.IndexOf("<!-- catalogue:start -->", StringComparison.Ordinal);
        int end = doc.IndexOf("<!-- catalogue:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/reliability.md lacks the catalogue markers");
        string actual = doc[(start + "<!-- catalogue:start -->".Length)..end].Trim().ReplaceLineEndings("\n");
        Assert.True(expected == actual, "docs/reliability.md's catalogue is out of date; it should read:\n" + expected);
    }

    private static string Table()
    {
        var sb = new StringBuilder();
        sb.Append("| # | Case | Bad input | Exception | ParamName |\n|---|---|---|---|---|\n");
        int i = 1;
        foreach (BadInputCatalogue.Case c in BadInputCatalogue.All)
        {
            sb.Append($"| {i++} | `{c.Id}` | {c.Input.Replace("|", "\\|", StringComparison.Ordinal)} | `{c.Exception.Name}` | {(c.Param is null ? "-" : $"`{c.Param}`")} |\n");
        }

        return sb.ToString().TrimEnd();
    }
}
