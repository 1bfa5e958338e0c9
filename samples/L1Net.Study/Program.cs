using System.Diagnostics;
using System.Globalization;
using L1Net.Study;

// The honest study: the seed experiment over many data sets. See docs/seed-study.md.
//   dotnet run --project samples/L1Net.Study -c Release -- [--seeds 30] [--lambdas 0.0001,0.0003,0.001,0.002,0.003,0.01] [--plot docs/seed-study.png]
int seeds = StudyDesign.DefaultSeedCount;
IReadOnlyList<float> lambdas = StudyDesign.DefaultLambdas;
string? plot = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seeds" when i + 1 < args.Length:
            seeds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--lambdas" when i + 1 < args.Length:
            lambdas = [.. args[++i].Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture))];
            break;
        case "--plot" when i + 1 < args.Length:
            plot = args[++i];
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; use --seeds N, --lambdas a,b,c, --plot FILE.png");
            return 2;
    }
}

if (seeds < 2 || lambdas.Count == 0 || lambdas.Any(l => !(l > 0f) || !float.IsFinite(l)))
{
    Console.Error.WriteLine("--seeds must be at least 2 and every lambda finite and positive");
    return 2;
}

var design = new StudyDesign(seeds, lambdas);
Console.Error.WriteLine($"Running {design.Arms.Count} arms on {seeds} data sets ({design.Arms.Count * seeds} training runs) on {Environment.ProcessorCount} cores");
var clock = Stopwatch.StartNew();
StudyResults results = StudyRunner.Run(design, progress: Console.Error);
Console.Error.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F0} s");
StudySummary.WriteMarkdown(results, Console.Out);
if (plot is not null)
{
    StudyPlot.Save(results, plot);
    Console.Error.WriteLine($"Plot written to {plot}");
}

return 0;
