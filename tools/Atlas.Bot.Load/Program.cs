// Load harness for Atlas.Bot: starts the real service (in-process for opens, as a child process against a Bot API
// double for the fan-out scenarios) and measures it. Usage: see LoadOptions.Usage.
using System.Globalization;
using Atlas.Bot.Load;

var options = LoadOptions.Parse(args);
if (options.Error is { } error)
{
    Console.Error.WriteLine($"atlas-bot-load: {error}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, press) =>
{
    press.Cancel = true;
    stop.Cancel();
};

if (options.Scenario == "opens")
{
    var report = await OpensLoad.RunAsync(options, stop.Token);
    report.WriteTo(Console.Out, options);
    return report.Lost == 0 && report.Redirected == report.Requested ? 0 : 1;
}

return options.Scenario switch
{
    "fanout" => await FanoutLoad.RunAsync(options, Console.Out, stop.Token),
    "enqueue" => await EnqueueLoad.RunAsync(options, Console.Out, stop.Token),
    "latency" => await LatencyLoad.RunAsync(options, Console.Out, stop.Token),
    "websub" => await WebSubLoad.RunAsync(options, Console.Out, stop.Token),
    "crash" => await CrashLoad.RunAsync(options, Console.Out, stop.Token),
    "faults" => await FaultsLoad.RunAsync(options, Console.Out, stop.Token),
    "storm" => await StormLoad.RunAsync(options, Console.Out, stop.Token),
    "fairness" => await FairnessLoad.RunAsync(options, Console.Out, stop.Token),
    "command-flood" => await CommandFloodLoad.RunAsync(options, Console.Out, stop.Token),
    "retention" => await RetentionLoad.RunAsync(options, Console.Out, stop.Token),
    "replicas" => await ReplicasLoad.RunAsync(options, Console.Out, stop.Token),
    "corrections" => await CorrectionsLoad.RunAsync(options, Console.Out, stop.Token),
    _ => 2,
};
