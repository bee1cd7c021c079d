using System.Diagnostics;

namespace Atlas.Bot.Load;

/// <summary>
/// The fanout scenario: one analysis recorded (with its channel and N subscriber deliveries) before atlas-bot starts,
/// then the real program sends it through the Bot API double, which enforces the same global limit. Measures the
/// steady rate against the limit, the double's 429s, delivery latency, the bot's peak memory, duplicates and losses.
/// With --seconds the run stops after that long and reports progress (for memory at 100,000).
/// </summary>
internal static class FanoutLoad
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>How the Bot API double counts, for the report.</summary>
    public static string DoubleText(LoadOptions options) =>
        FormattableString.Invariant($"the Bot API double allows {options.DoubleLimit}/s, ") + (options.SlackMs > 0
            ? FormattableString.Invariant($"with {options.SlackMs} ms of slack in every window")
            : "counted strictly (accepted messages at arrival, any one-second window)");

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        var (recordedAt, enqueue) = await bed.RecordAnalysisAsync(1, ct);

        using var hogs = CpuHogs.Start(options.CpuHogs);
        var wall = Stopwatch.StartNew();
        var bot = bed.StartBot(bed.Environment(options));
        await using (bot)
        {
            var limit = options.Seconds > 0 ? TimeSpan.FromSeconds(options.Seconds) : Timeout.InfiniteTimeSpan;
            var complete = await bed.AwaitMessagesAsync(chats.Count + 1, limit == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : limit, Patience, bot, ct);
            var elapsed = wall.Elapsed;
            var figures = FanoutFigures.From(bed.Api.Messages, bed.Calls, bed.Api.FloodRefusals, chats, new Dictionary<int, DateTimeOffset> { [1] = recordedAt });

            var write = new FigureWriter(output);
            write.Line("scenario", $"fanout on {bed.ProviderText}: one analysis to {options.Subscribers} subscribers and 1 channel, Delivery__GlobalPerSecond={options.Rate}{(options.Paid ? ", Delivery__AllowPaidBroadcast=true" : "")}; {DoubleText(options)}{(options.CpuHogs > 0 ? $"; {options.CpuHogs} CPU-bound processes beside it" : "")}");
            write.Line("enqueue", $"{enqueue.TotalMilliseconds:F0} ms to record the analysis and {options.Subscribers + 1} deliveries in one transaction");
            figures.WriteTo(write, options.DoubleLimit, stopped: !complete && options.Seconds > 0, guardBand: figures.TooManyRequests == 0);
            write.Line("pace changes", $"{bot.PaceChanges.Lowered} lowered, {bot.PaceChanges.Raised} raised (the governor's log)");
            write.Line("peak memory", $"{bot.PeakMegabytes:F0} MB resident (VmHWM of the atlas-bot process)");
            write.Line("cpu", $"atlas-bot {bot.Cpu.TotalSeconds:F1} s, harness with the Bot API double {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1} s, in {elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} cores");
            write.Line("wall time", $"{elapsed.TotalSeconds:F1} s from starting the process{(complete ? " to the last message" : options.Seconds > 0 ? $" (stopped after {options.Seconds} s, as asked)" : " (gave up: nothing new arrived for a minute)")}");
            write.Line("reproduce", $"{options.Command}");
            if (!complete && options.Seconds == 0)
            {
                await Console.Error.WriteLineAsync(bot.Tail);
            }

            return (complete || options.Seconds > 0) && figures.Duplicates == 0 && (figures.Losses == 0 || !complete) ? 0 : 1;
        }
    }
}
