using System.Reflection;
using System.Text.RegularExpressions;

namespace L1Net.Cli.Tests;

/// <summary>docs/reliability.md's command-line table lists exactly the tests of the command line's reliability classes.</summary>
public sealed partial class CliReliabilityDocTests
{
    private static readonly Type[] Classes = [typeof(CultureTests), typeof(InterruptTests), typeof(OverwriteTests), typeof(TrainingCheckTests), typeof(MessageTests), typeof(UpFrontChecksTests)];

    [Fact]
    public void Docs_reliability_lists_every_command_line_reliability_test()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "reliability.md"));
        int start = doc.IndexOf("<!-- cli:start -->", StringComparison.Ordinal);
        int end = doc.IndexOf("<!-- cli:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/reliability.md lacks the cli markers");
        string[] listed = [.. TestName().Matches(doc[start..end]).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];

        string[] tests = [.. Classes
            .SelectMany(c => c.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
                .Select(m => $"{c.Name}.{m.Name}"))
            .Order(StringComparer.Ordinal)];

        Assert.Equal(tests, listed);
    }

    [GeneratedRegex(@"^\| `([A-Za-z]+\.[A-Za-z0-9_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TestName();

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "L1Net.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("L1Net.sln not found above " + AppContext.BaseDirectory);
    }
}
