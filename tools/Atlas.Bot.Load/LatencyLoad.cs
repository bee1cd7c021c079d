using System.Diagnostics;
using System.Globalization;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Load;

/// <summary>
/// The latency scenario: while atlas-bot fans analysis 1 out to N subscribers, the harness publishes new analyses to
/// the feed file the bot polls every 2 s, one every 10 s, and measures when each reaches the channel.
/// Target: within one poll interval plus one second (3 s). The run stops after --seconds.
/// </summary>
internal static class LatencyLoad
{
    private const int FirstProbe = 101;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        var (recordedAt, _) = await bed.RecordAnalysisAsync(1, ct);
        // An item the first poll takes as history, so that the feed counts as initialized before the probes.
        var feed = new List<(string Guid, string Title, DateTimeOffset Published)> { ("load-history", "Old analysis", DateTimeOffset.UtcNow.AddDays(-1)) };
        await bed.WriteFeedAsync(feed, ct);

        var random = new Random(6);
        var published = new Dictionary<int, DateTimeOffset>();
        var bot = bed.StartBot(bed.Environment(options));
        await using (bot)
        {
            var clock = Stopwatch.StartNew();
            await bed.AwaitMessagesAsync(10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), bot, ct);
            for (var probe = FirstProbe; clock.Elapsed + ProbeEvery < TimeSpan.FromSeconds(options.Seconds); probe++)
            {
                // A random phase against the poll schedule, so the figures cover the whole interval.
                await Task.Delay(ProbeEvery + TimeSpan.FromMilliseconds(random.Next(0, 2000)), ct);
                feed.Insert(0, ($"load-{probe.ToString(CultureInfo.InvariantCulture)}", LoadBed.Title(probe), DateTimeOffset.UtcNow));
                await bed.WriteFeedAsync(feed, ct);
                published[probe] = DateTimeOffset.UtcNow;
            }

            await Task.Delay(ProbeEvery, ct);
            var messages = bed.Api.Messages;
            var latencies = ChannelLatencies(messages, published);
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

    /// <summary>How long after its publication each probe reached the channel (its first message there); null when it never did.</summary>
    internal static Dictionary<int, TimeSpan?> ChannelLatencies(IReadOnlyList<SentMessage> messages, IReadOnlyDictionary<int, DateTimeOffset> published)
    {
        var toChannel = messages.Where(message => message.Chat == LoadBed.Channel)
            .GroupBy(LoadBed.AnalysisOf)
            .ToDictionary(group => group.Key, group => group.Min(message => message.At));
        return published.ToDictionary(
            probe => probe.Key,
            probe => toChannel.TryGetValue(probe.Key, out var at) ? at - probe.Value : (TimeSpan?)null);
    }
}
