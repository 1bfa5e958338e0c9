using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace L1Net.Tests.Docs;

/// <summary>Every C# snippet in README.md and docs/getting-started.md compiles as written; the walkthrough also runs and prints what the page says.</summary>
public partial class DocSnippetTests
{
    /// <summary>The implicit usings of an SDK project with <c>ImplicitUsings</c> enabled, as a reader's project has them.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string path in ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator))
        {
            paths.TryAdd(Path.GetFileName(path), path);
        }

        foreach (string path in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            paths.TryAdd(Path.GetFileName(path), path);
        }

        return [.. paths.Values.Where(p => !p.Contains("CodeAnalysis", StringComparison.OrdinalIgnoreCase)).Select(p => MetadataReference.CreateFromFile(p))];
    });

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (string doc in new[] { "README.md", Path.Combine("docs", "getting-started.md") })
        {
            int count = CSharpBlocks(doc).Count;
            Assert.True(count > 0, $"{doc} has no ```csharp block");
            for (int i = 0; i < count; i++)
            {
                data.Add(doc, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void The_snippet_compiles_as_written(string doc, int index)
    {
        string code = CSharpBlocks(doc)[index];
        (_, IReadOnlyList<Diagnostic> errors) = Compile(code);
        Assert.True(errors.Count == 0, $"{doc} snippet {index + 1} does not compile:\n{string.Join("\n", errors)}\n---\n{code}");
    }

    [Fact]
    public void The_walkthrough_runs_and_prints_what_the_page_shows()
    {
        string code = CSharpBlocks(Path.Combine("docs", "getting-started.md"))[0];
        (byte[]? image, IReadOnlyList<Diagnostic> errors) = Compile(code);
        Assert.True(image is not null, string.Join("\n", errors));
        string iris = Path.Combine(RepositoryRoot(), "samples", "L1Net.GettingStarted", "data", "iris.csv");

        var captured = new StringWriter();
        TextWriter original = Console.Out;
        try
        {
            Console.SetOut(TextWriter.Synchronized(captured));
            Assembly.Load(image).EntryPoint!.Invoke(null, [new[] { iris }]);
        }
        finally
        {
            Console.SetOut(original);
        }

        // The program's own lines (log lines come from the console logger's background thread, in any order).
        static string[] ProgramLines(string text) =>
            [.. text.ReplaceLineEndings("\n").Split('\n').Where(l => l.Length > 0 && !l.StartsWith("info:", StringComparison.Ordinal) && !l.StartsWith("warn:", StringComparison.Ordinal) && !l.StartsWith("      ", StringComparison.Ordinal))];

        string page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "getting-started.md")).ReplaceLineEndings("\n");
        int printed = page.IndexOf("What it prints", StringComparison.Ordinal);
        Assert.True(printed >= 0, "docs/getting-started.md has no 'What it prints' section");
        int start = page.IndexOf("```\n", printed, StringComparison.Ordinal) + 4;
        string expected = page[start..page.IndexOf("```\n", start, StringComparison.Ordinal)];
        Assert.Equal(ProgramLines(expected), ProgramLines(captured.ToString()));
    }

    private static (byte[]? Image, IReadOnlyList<Diagnostic> Errors) Compile(string code)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Snippet" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(code, parse), CSharpSyntaxTree.ParseText(ImplicitUsings, parse)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Diagnostic[] errors = [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)];
        return (result.Success ? stream.ToArray() : null, errors);
    }

    private static List<string> CSharpBlocks(string doc)
    {
        string text = File.ReadAllText(Path.Combine(RepositoryRoot(), doc)).ReplaceLineEndings("\n");
        return [.. CSharpBlock().Matches(text).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex("^```csharp\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

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
