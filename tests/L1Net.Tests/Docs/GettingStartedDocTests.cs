namespace L1Net.Tests.Docs;

public class GettingStartedDocTests
{
    [Fact]
    public void The_walkthrough_in_the_docs_is_the_compiled_sample_verbatim()
    {
        string root = RepositoryRoot();
        string doc = File.ReadAllText(Path.Combine(root, "docs", "getting-started.md")).ReplaceLineEndings("\n");
        string program = File.ReadAllText(Path.Combine(root, "samples", "L1Net.GettingStarted", "Program.cs")).ReplaceLineEndings("\n");

        const string open = "```csharp\n";
        int start = doc.IndexOf(open, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/getting-started.md has no ```csharp block");
        start += open.Length;
        int end = doc.IndexOf("```\n", start, StringComparison.Ordinal);
        Assert.Equal(program, doc[start..end]);
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
}
