using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace L1Net.Tests.Docs;

/// <summary>
/// The readme packed into the nupkg (src/L1Net/PACKAGE.md) stands on its own: its example is the AOT consumer's program
/// (which CI publishes with Native AOT and runs), and it has no links into the repository, which a package page cannot follow.
/// </summary>
public partial class PackageReadmeTests
{
    private static string Root() => Reliability.Fixtures.RepositoryRoot();

    [Fact]
    public void The_package_readme_example_is_the_AOT_consumer_program_verbatim()
    {
        string doc = File.ReadAllText(Path.Combine(Root(), "src", "L1Net", "PACKAGE.md")).ReplaceLineEndings("\n");
        string program = File.ReadAllText(Path.Combine(Root(), "samples", "L1Net.AotConsumer", "Program.cs")).ReplaceLineEndings("\n");

        const string open = "```csharp\n";
        int start = doc.IndexOf(open, StringComparison.Ordinal);
        Assert.True(start >= 0, "PACKAGE.md has no ```csharp block");
        start += open.Length;
        int end = doc.IndexOf("```\n", start, StringComparison.Ordinal);
        Assert.Equal(program, doc[start..end]);
    }

    [Fact]
    public void The_package_readme_has_no_relative_links_or_images()
    {
        string doc = File.ReadAllText(Path.Combine(Root(), "src", "L1Net", "PACKAGE.md"));
        string[] relative = LinkTarget().Matches(doc).Select(m => m.Groups[1].Value).Where(t => !t.StartsWith("https://", StringComparison.Ordinal)).ToArray();
        Assert.True(relative.Length == 0, "PACKAGE.md links to " + string.Join(", ", relative));
        Assert.DoesNotContain("docs/", doc, StringComparison.Ordinal);
    }

    [Fact]
    public void The_project_packs_that_readme_declares_AOT_compatibility_and_takes_release_notes_from_the_changelog()
    {
        XDocument project = XDocument.Load(Path.Combine(Root(), "src", "L1Net", "L1Net.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;

        Assert.Equal("PACKAGE.md", Property("PackageReadmeFile"));
        Assert.Contains(project.Descendants("None"), n => (string?)n.Attribute("Include") == "PACKAGE.md" && (string?)n.Attribute("Pack") == "true");
        Assert.Equal("true", Property("IsAotCompatible"));
        Assert.Contains("CHANGELOG.md", Property("PackageReleaseNotes"), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\]\(([^)\s]+)")]
    private static partial Regex LinkTarget();
}
