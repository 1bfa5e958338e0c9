using System.Text.RegularExpressions;

namespace L1Net.CustomRegularizer.Tests;

/// <summary>
/// docs/custom-regularizers.md shows the sample's code as it is: every C# block names its file in a
/// <c>snippet-source</c> comment and is that file (or a run of its lines), every regularizer file of the sample is shown
/// whole, the printed output is what the sample prints, and the page's links lead somewhere.
/// </summary>
public partial class GuideDocTests(ComparisonFixture comparison) : IClassFixture<ComparisonFixture>
{
    private const string Page = "docs/custom-regularizers.md";

    private static string Root { get; } = RepositoryRoot();

    private static string Read(string path) => File.ReadAllText(Path.Combine(Root, path)).ReplaceLineEndings("\n");

    private static IReadOnlyList<(string Source, string Code)> Blocks()
    {
        var blocks = new List<(string, string)>();
        foreach (Match block in CSharpBlock().Matches(Read(Page)))
        {
            Match source = Source().Match(block.Groups["markers"].Value);
            blocks.Add((source.Success ? source.Groups["path"].Value.Trim() : "", block.Groups["code"].Value));
        }

        return blocks;
    }

    [Fact]
    public void Every_csharp_block_is_a_run_of_lines_of_the_file_it_names()
    {
        IReadOnlyList<(string Source, string Code)> blocks = Blocks();
        Assert.True(blocks.Count >= 7, $"expected the guide's C# blocks, found {blocks.Count}");
        foreach ((string source, string code) in blocks)
        {
            Assert.False(source.Length == 0, $"a C# block without a snippet-source comment:\n{code}");
            string[] file = Lines(Read(source));
            string[] shown = Lines(code);
            bool found = Enumerable.Range(0, file.Length - shown.Length + 1).Any(i => file.AsSpan(i, shown.Length).SequenceEqual(shown));
            Assert.True(found, $"{Page}: a block is not in {source} as it is:\n{code}");
        }

        // Lines compared without their indentation (an excerpt from inside a method is shown flush left).
        static string[] Lines(string text) => [.. text.TrimEnd('\n').Split('\n').Select(l => l.Trim())];
    }

    [Theory]
    [InlineData("DeclaredL1.cs")]
    [InlineData("SmoothL1.cs")]
    [InlineData("SmoothL1Vectorized.cs")]
    [InlineData("LayerwiseProximalL1.cs")]
    [InlineData("FanInGroupPenalty.cs")]
    [InlineData("RegularizerChecks.cs")]
    public void Every_regularizer_file_of_the_sample_is_shown_whole(string file)
    {
        string path = $"samples/L1Net.CustomRegularizer/{file}";
        Assert.Contains(Blocks(), b => b.Source == path && b.Code == Read(path).TrimEnd('\n') + "\n");
    }

    [Fact]
    public void The_sample_files_shown_are_all_the_regularizers_of_the_sample()
    {
        string[] shown = [.. Blocks().Select(b => Path.GetFileName(b.Source)).Distinct()];
        string[] files = [.. Directory.GetFiles(Path.Combine(Root, "samples", "L1Net.CustomRegularizer"), "*.cs").Select(Path.GetFileName).OfType<string>()];
        Assert.Equal(files.Except(["Program.cs", "Comparison.cs"]).Order(StringComparer.Ordinal), shown.Except(["Comparison.cs"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_output_shown_is_what_the_sample_prints()
    {
        string page = Read(Page);
        int printed = page.IndexOf("What the sample prints", StringComparison.Ordinal);
        Assert.True(printed >= 0, "the guide has no 'What the sample prints' paragraph");
        int start = page.IndexOf("```text\n", printed, StringComparison.Ordinal) + "```text\n".Length;
        string shown = page[start..page.IndexOf("```\n", start, StringComparison.Ordinal)];
        Assert.Equal(comparison.Report, shown);
    }

    [Fact]
    public void Every_link_leads_to_a_page_and_heading_that_exist()
    {
        foreach (Match link in Link().Matches(Read(Page)))
        {
            string target = link.Groups["file"].Value;
            string path = Path.Combine("docs", target);
            Assert.True(File.Exists(Path.Combine(Root, path)), $"{Page} links to {path}, which does not exist");
            if (link.Groups["anchor"].Success)
            {
                string anchor = link.Groups["anchor"].Value;
                string[] slugs = [.. Read(path).Split('\n').Where(l => l.StartsWith('#')).Select(Slug)];
                Assert.True(slugs.Contains(anchor), $"{Page} links to {path}#{anchor}, which has no such heading");
            }
        }

        // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
        static string Slug(string heading) =>
            new string([.. heading.TrimStart('#').Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')]).Replace(' ', '-');
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "L1Net.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("L1Net.sln not found above the test directory.");
    }

    [GeneratedRegex(@"(?<markers>(?:^<!--(?:(?!-->).)*-->\n)*)^```csharp\n(?<code>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"<!--\s*snippet-source:(?<path>(?:(?!-->).)*)-->", RegexOptions.Singleline)]
    private static partial Regex Source();

    [GeneratedRegex(@"\]\((?<file>[a-z-]+\.md)(?:#(?<anchor>[^)]+))?\)")]
    private static partial Regex Link();
}
