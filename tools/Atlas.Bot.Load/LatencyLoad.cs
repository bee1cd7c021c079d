using System.Diagnostics;

namespace Atlas.Bot.Load;

/// <summary>
/// The latency scenario: while atlas-bot fans analysis 1 out to N subscribers, the harness publishes new analyses to
/// the feed file the bot polls every 2 s, one every 10 s, and measures when each reaches the channel.
/// Target: within one poll interval plus one second (3 s). The run stops after --seconds.
/// </summary>
internal static class LatencyLoad
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        var (recordedAt, _) = await bed.RecordAnalysisAsync(1, ct);
        var probes = new FeedProbes(bed);
        await probes.WriteHistoryAsync(ct);

        var bot = bed.StartBot(bed.Environment(options));
        await using (bot)
        {
            var clock = Stopwatch.StartNew();
            await bed.AwaitMessagesAsync(10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), bot, ct);
            await probes.RunAsync(clock, options.Seconds, written: null, ct);

            await Task.Delay(FeedProbes.Every, ct);
            var messages = bed.Api.Messages;
            var latencies = probes.Latencies(messages);
            var fanout = FanoutFigures.From(messages, bed.Calls, bed.Api.FloodRefusals, chats,
                new Dictionary<int, DateTimeOffset> { [1] = recordedAt });

            var write = new FigureWriter(output);
            write.Line("scenario", $"latency: analyses published to the feed (polled every {PollInterval.TotalSeconds:F0} s) while analysis 1 fans out to {options.Subscribers} subscribers at {options.Rate}/s; stopped after {options.Seconds} s");
            foreach (var (probe, latency) in latencies)
            {
                write.Line($"  analysis {probe}", latency is { } took ? (FormattableString)$"in the channel {took.TotalSeconds:F2} s after it was written to the feed" : $"never reached the channel");
            }

            var reached = latencies.Values.OfType<TimeSpan>().Select(time => time.TotalSeconds).Order().ToArray();
            write.Line("channel latency", $"max {(reached.Length > 0 ? reached[^1] : double.NaN):F2} s, target {(PollInterval + TimeSpan.FromSeconds(1)).TotalSeconds:F0} s (poll interval + 1 s)");
            write.Line("fan-out meanwhile", $"{fanout.Accepted} subscriber messages (analysis 1, then the new ones), steady {fanout.SteadyRate:F1}/s of {options.Rate}/s, {fanout.TooManyRequests} 429s ({fanout.TooManyRequestsSteady} in steady state, {fanout.TooManyRequestsPerChat} into the channel or chats that got more than one message), {fanout.Duplicates} duplicates");
            write.Line("peak memory", $"{bot.PeakMegabytes:F0} MB resident (VmHWM of the atlas-bot process)");
            write.Line("reproduce", $"{options.Command}");
            return reached.Length == latencies.Count && reached.All(seconds => seconds <= (PollInterval + TimeSpan.FromSeconds(1)).TotalSeconds) ? 0 : 1;
        }
    }
}
