// Load harness for Atlas.Bot: starts the real service in-process on loopback and measures it.
// Usage: dotnet run --project tools/Atlas.Bot.Load -c Release -- opens [--rate <opens/s>] [--seconds <n>]
using Atlas.Bot.Load;

var options = LoadOptions.Parse(args);
if (options.Error is { } error)
{
    Console.Error.WriteLine($"atlas-bot-load: {error}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, press) =>
{
    press.Cancel = true;
    stop.Cancel();
};

var report = await OpensLoad.RunAsync(options, stop.Token);
report.WriteTo(Console.Out, options);
return report.Lost == 0 && report.Redirected == report.Requested ? 0 : 1;
