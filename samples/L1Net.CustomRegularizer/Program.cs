// Your own regularizers, plugged into BackPropTrainer (docs/custom-regularizers.md): each is trained on the Wine data,
// checked against its own penalty, and compared. Usage: dotnet run -c Release --project samples/L1Net.CustomRegularizer [wine.csv]
using L1Net.CustomRegularizer;

string csvPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "data", "wine.csv");
Comparison.Write(Console.Out, csvPath);
