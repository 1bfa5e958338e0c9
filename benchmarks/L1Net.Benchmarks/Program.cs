using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project benchmarks/L1Net.Benchmarks -- --filter '*'   (see docs/benchmarks.md)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
