// Adam with its default settings against SGD with tuned settings, 5-fold cross-validated, on every bundled data set.
// Prints the table of docs/optimizers.md. Usage: dotnet run -c Release --project samples/L1Net.Optimizers [data folder]
using L1Net.Optimizers;

string folder = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data");
var results = new List<OptimizerComparison.DataSetResult>();
foreach (string file in Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal))
{
    results.Add(OptimizerComparison.Run(file));
}

OptimizerComparison.Write(Console.Out, results);
