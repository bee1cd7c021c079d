// BenchmarkDotNet benchmarks of Atlas.Bot's hot paths; figures and machine in docs/benchmarks.md.
// Usage: dotnet run --project tools/Atlas.Bot.Benchmarks -c Release -- --filter '*' --job short
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Atlas.Bot.Benchmarks.PostFormatterBenchmarks).Assembly).Run(args);
