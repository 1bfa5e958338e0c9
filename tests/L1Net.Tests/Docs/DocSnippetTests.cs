using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace L1Net.Tests.Docs;

/// <summary>
/// Every C# block of README.md, docs/*.md and src/*/*.md compiles against L1Net and L1Net.Onnx (a fragment with the
/// context its page declares in a <c>snippet-context</c> comment); no block is skipped unless it carries a listed
/// <c>snippet-not-compiled</c> marker. The getting-started walkthrough also runs and prints what the page says.
/// </summary>
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

    /// <summary>
    /// The blocks that are not compiled, each with its marker <c>&lt;!-- snippet-not-compiled: reason --&gt;</c> in the page:
    /// pseudo-code, or code against a library the tests do not reference. A marker not listed here fails the test, and so
    /// does a listed one that is gone.
    /// </summary>
    private static readonly string[] NotCompiled =
    [
        "docs/deployment.md#3",   // ML.NET pipeline excerpt (Microsoft.ML + Microsoft.ML.OnnxTransformer; samples/L1Net.Onnx.MLNetSample compiles it)
    ];

    /// <summary>Fence languages that are not C# and are not compiled (any other language fails the test).</summary>
    private static readonly HashSet<string> OtherLanguages = new(StringComparer.Ordinal) { "bash", "console", "text", "xml", "mermaid", "json" };

    private static readonly HashSet<string> CSharpLanguages = new(StringComparer.Ordinal) { "csharp", "cs", "c#" };

    /// <summary>Every markdown page with code: README.md, docs/*.md and the packages' README/PACKAGE pages.</summary>
    private static IEnumerable<string> Pages()
    {
        string root = RepositoryRoot();
        yield return "README.md";
        foreach (string path in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            yield return "docs/" + Path.GetFileName(path);
        }

        foreach (string dir in Directory.GetDirectories(Path.Combine(root, "src")).Order(StringComparer.Ordinal))
        {
            foreach (string path in Directory.GetFiles(dir, "*.md").Order(StringComparer.Ordinal))
            {
                yield return "src/" + Path.GetFileName(dir) + "/" + Path.GetFileName(path);
            }
        }
    }

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (string doc in Pages())
        {
            List<Block> blocks = CSharpBlocks(doc);
            for (int i = 0; i < blocks.Count; i++)
            {
                data.Add(doc, i);
            }
        }

        return data;
    }

    [Fact]
    public void Every_page_is_found_and_the_known_pages_have_csharp()
    {
        string[] pages = [.. Pages()];
        foreach (string doc in new[] { "README.md", "docs/getting-started.md", "docs/sparsity.md", "docs/deployment.md", "src/L1Net/PACKAGE.md", "src/L1Net.Onnx/README.md" })
        {
            Assert.Contains(doc, pages);
            Assert.True(CSharpBlocks(doc).Count > 0, $"{doc} has no ```csharp block");
        }
    }

    [Fact]
    public void Every_fenced_block_is_csharp_or_a_listed_other_language()
    {
        var problems = new List<string>();
        foreach (string doc in Pages())
        {
            foreach (Match fence in Fence().Matches(ReadPage(doc)))
            {
                string language = fence.Groups["lang"].Value.Trim();
                if (!CSharpLanguages.Contains(language) && !OtherLanguages.Contains(language))
                {
                    problems.Add($"{doc}: a ``` block with language '{language}' (tag C# blocks csharp, others one of: {string.Join(", ", OtherLanguages)})");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Only_the_listed_blocks_are_not_compiled()
    {
        string[] marked = [.. Pages().SelectMany(doc => CSharpBlocks(doc).Select((b, i) => (doc, b, i)).Where(x => x.b.NotCompiled is not null).Select(x => $"{x.doc}#{x.i + 1}"))];
        Assert.Equal(NotCompiled.Order(StringComparer.Ordinal), marked.Order(StringComparer.Ordinal));
        Assert.All(Pages().SelectMany(CSharpBlocks).Where(b => b.NotCompiled is not null), b => Assert.False(string.IsNullOrWhiteSpace(b.NotCompiled), "a snippet-not-compiled marker needs a reason"));
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void The_snippet_compiles_as_written(string doc, int index)
    {
        Block block = CSharpBlocks(doc)[index];
        if (block.NotCompiled is not null)
        {
            Assert.Contains($"{doc}#{index + 1}", NotCompiled);
            return;
        }

        string code = block.Program();
        (_, IReadOnlyList<Diagnostic> errors) = Compile(code);
        Assert.True(errors.Count == 0, $"{doc} snippet {index + 1} does not compile:\n{string.Join("\n", errors)}\n---\n{code}");
        if (block.MembersOf is not null)
        {
            string[] missing = MembersNotOnTheType(code);
            Assert.True(missing.Length == 0, $"{doc} snippet {index + 1} shows members that {block.MembersOf} does not have: {string.Join(", ", missing)}");
        }
    }

    /// <summary>The members a <c>snippet-members-of</c> block declares that its interface has under no such name and signature.</summary>
    private static string[] MembersNotOnTheType(string code)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        CSharpCompilation compilation = CSharpCompilation.Create("Members", [CSharpSyntaxTree.ParseText(code, parse), CSharpSyntaxTree.ParseText(ImplicitUsings, parse)], References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        INamedTypeSymbol shown = compilation.GetTypeByMetadataName("SnippetMembers")!;
        ISymbol[] inherited = [.. shown.AllInterfaces.SelectMany(i => i.GetMembers())];
        return [.. shown.GetMembers().Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { AssociatedSymbol: not null })
            .Where(m => !inherited.Any(i => i.Name == m.Name && Signature(i) == Signature(m)))
            .Select(m => m.ToDisplayString())];

        static string Signature(ISymbol symbol) => symbol switch
        {
            IMethodSymbol method => method.ReturnType.ToDisplayString() + "(" + string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString())) + ")",
            IPropertySymbol property => property.Type.ToDisplayString(),
            _ => symbol.Kind.ToString(),
        };
    }

    [Fact]
    public void A_broken_snippet_fails_to_compile()
    {
        var block = new Block("using L1Net.Training;\nvar options = new TrainerOptions { WarmStart = true };\n", null, null, null);
        Assert.NotEmpty(Compile(block.Program()).Errors);
        var fragment = new Block("network.Predict(row);\n", null, null, null);
        Assert.NotEmpty(Compile(fragment.Program()).Errors);

        // An interface shape that compiles as a new overload but is not the interface's member.
        var oldShape = new Block("IRegularizer Bind(int length) => this;\n", "using L1Net.Regularization;", "IRegularizer", null);
        Assert.Empty(Compile(oldShape.Program()).Errors);
        Assert.Equal(["SnippetMembers.Bind(int)"], MembersNotOnTheType(oldShape.Program()));
        var shape = new Block("IRegularizer Bind(ParameterShape shape) => this;\nfloat WeightDecay => 0;\n", "using L1Net.Regularization;", "IRegularizer", null);
        Assert.Empty(MembersNotOnTheType(shape.Program()));
    }

    [Fact]
    public void The_walkthrough_runs_and_prints_what_the_page_shows()
    {
        string code = CSharpBlocks("docs/getting-started.md")[0].Program();
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
        int start = page.IndexOf("```text\n", printed, StringComparison.Ordinal) + 8;
        string expected = page[start..page.IndexOf("```\n", start, StringComparison.Ordinal)];
        Assert.Equal(ProgramLines(expected), ProgramLines(captured.ToString()));
    }

    private static (byte[]? Image, IReadOnlyList<Diagnostic> Errors) Compile(string code)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        SyntaxTree tree = CSharpSyntaxTree.ParseText(code, parse);

        // Statements make a program; a block of declarations only (a type, or an interface's members) a library.
        bool statements = tree.GetCompilationUnitRoot().Members.OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax>().Any();
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Snippet" + Guid.NewGuid().ToString("N"),
            [tree, CSharpSyntaxTree.ParseText(ImplicitUsings, parse)],
            References.Value,
            new CSharpCompilationOptions(statements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Diagnostic[] errors = [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)];
        return (result.Success ? stream.ToArray() : null, errors);
    }

    private static string ReadPage(string doc) => File.ReadAllText(Path.Combine(RepositoryRoot(), doc)).ReplaceLineEndings("\n");

    /// <summary>
    /// The C# blocks of a page, with the markers in the HTML comments right before each: <c>snippet-context</c> (C# the
    /// fragment needs, compiled before it: usings, variables), <c>snippet-members-of: Type</c> (the block is member
    /// declarations of that interface, compiled inside an interface deriving from it) and <c>snippet-not-compiled</c>.
    /// </summary>
    private static List<Block> CSharpBlocks(string doc)
    {
        string text = ReadPage(doc);
        var blocks = new List<Block>();
        foreach (Match fence in Fence().Matches(text))
        {
            if (!CSharpLanguages.Contains(fence.Groups["lang"].Value.Trim()))
            {
                continue;
            }

            string? context = null, membersOf = null, notCompiled = null;
            foreach (Match marker in Marker().Matches(fence.Groups["markers"].Value))
            {
                string value = marker.Groups["value"].Value.Trim();
                switch (marker.Groups["name"].Value)
                {
                    case "context": context = value; break;
                    case "members-of": membersOf = value; break;
                    case "not-compiled": notCompiled = value; break;
                }
            }

            blocks.Add(new Block(fence.Groups["code"].Value, context, membersOf, notCompiled));
        }

        return blocks;
    }

    /// <summary>A fenced block: the HTML comments directly above it (blank lines between allowed), its language and its code.</summary>
    [GeneratedRegex(@"(?<markers>(?:^<!--(?:(?!-->).)*-->\n(?:\n)*)*)^```(?<lang>[^\n`]*)\n(?<code>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"<!--\s*snippet-(?<name>[a-z-]+?)\s*:(?<value>(?:(?!-->).)*)-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?[\w.]+(?:\s*=\s*[\w.<>, ]+)?\s*;\s*$")]
    private static partial Regex UsingDirective();

    private sealed record Block(string Code, string? Context, string? MembersOf, string? NotCompiled)
    {
        /// <summary>The program compiled: the using directives of context and block first, then the context, then the block.</summary>
        public string Program()
        {
            var usings = new List<string>();
            var body = new StringBuilder();
            foreach (string part in new[] { Context, MembersOf is null ? Code : null }.OfType<string>())
            {
                foreach (string line in part.Split('\n'))
                {
                    if (UsingDirective().IsMatch(line))
                    {
                        usings.Add(line.Trim());
                    }
                    else
                    {
                        body.Append(line).Append('\n');
                    }
                }
            }

            if (MembersOf is not null)
            {
                body.Append("internal interface SnippetMembers : ").Append(MembersOf).Append("\n{\n").Append(Code).Append("}\n");
            }

            return string.Join("\n", usings.Distinct(StringComparer.Ordinal)) + "\n#line 1\n" + body;
        }
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
