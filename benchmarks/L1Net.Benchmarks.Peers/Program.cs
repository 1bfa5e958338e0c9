using BenchmarkDotNet.Running;

// Run from the repository root (see docs/benchmarks.md):
//   dotnet run -c Release --project benchmarks/L1Net.Benchmarks.Peers -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
