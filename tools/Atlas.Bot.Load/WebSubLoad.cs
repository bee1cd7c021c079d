using System.Diagnostics;
using System.Net;
using Atlas.Bot.Tests.Feeds.WebSub;
using Atlas.Bot.Tests.Web;

namespace Atlas.Bot.Load;

/// <summary>
/// The websub scenario: the latency scenario with the feed served over HTTP and naming an in-process WebSub hub. The
/// bot subscribes at its start-up poll and then polls hourly; each new analysis written to the feed is pushed by the hub
/// at once, as the WordPress plugin pings its hub on publication. Measured: publication to the channel, while analysis 1
/// fans out to N subscribers. With --poll-only there is no hub and the feed is polled every two minutes (the baseline).
/// Target with push: every analysis in its channel within 5 s.
/// </summary>
internal static class WebSubLoad
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BaselineInterval = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        await using var hub = await FakeHub.StartAsync();
        await using var site = await FeedHost.StartAsync(bed.FeedPath, ct);
        var topic = site.Url;
        var head = options.PollOnly
            ? ""
            : $"<atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" rel=\"hub\" href=\"{hub.Url}\"/><atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" rel=\"self\" href=\"{topic}\"/>";
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        var (recordedAt, _) = await bed.RecordAnalysisAsync(1, ct);
        var probes = new FeedProbes(bed, head);
        await probes.WriteHistoryAsync(ct);

        var address = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var bot = bed.StartBot(bed.Environment(options, new Dictionary<string, string>
        {
            ["Feeds__0__Url"] = topic,
            // Hourly with a hub: the poll at start subscribes and no other comes within the run. The baseline: every 2 minutes.
            ["Feeds__0__Schedule"] = options.PollOnly ? "0 0/2 * * * ?" : "0 0 * * * ?",
            ["Feeds__0__WebSub"] = options.PollOnly ? "Off" : "Auto",
            ["Urls"] = address,
            ["Tracking__PublicBaseUrl"] = address,
        }));
        await using (bot)
        {
            var clock = Stopwatch.StartNew();
            var subscribedIn = TimeSpan.Zero;
            if (!options.PollOnly)
            {
                while (!hub.Verified.ContainsKey(topic) && clock.Elapsed < TimeSpan.FromSeconds(60) && !bot.HasExited)
                {
                    await Task.Delay(50, ct);
                }

                if (!hub.Verified.ContainsKey(topic))
                {
                    await output.WriteLineAsync("the hub never verified a subscription: see the bot's log");
                    return 1;
                }

                subscribedIn = clock.Elapsed;
            }

            await bed.AwaitMessagesAsync(10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), bot, ct);
            var pushes = new List<HttpStatusCode>();
            // As the WordPress plugin pings its hub on publication, the hub pushes each probe as it is written.
            await probes.RunAsync(
                clock,
                options.Seconds,
                options.PollOnly ? null : async () => pushes.Add(await hub.PushAsync(topic, await File.ReadAllBytesAsync(bed.FeedPath, ct))),
                ct);

            // Every probe has had its chance: a push at once, a poll within its interval.
            var deadline = DateTimeOffset.UtcNow + (options.PollOnly ? BaselineInterval + FeedProbes.Every : FeedProbes.Every);
            while (DateTimeOffset.UtcNow < deadline && !probes.AllArrived(bed.Api.Messages))
            {
                await Task.Delay(200, ct);
            }

            var messages = bed.Api.Messages;
            var latencies = probes.Latencies(messages);
            var fanout = FanoutFigures.From(messages, bed.Calls, bed.Api.FloodRefusals, chats,
                new Dictionary<int, DateTimeOffset> { [1] = recordedAt });

            var write = new FigureWriter(output);
            write.Line("scenario", options.PollOnly
                ? (FormattableString)$"websub baseline: no hub, the feed polled every {BaselineInterval.TotalMinutes:F0} minutes; an analysis written every ~{FeedProbes.Every.TotalSeconds:F0} s while analysis 1 fans out to {options.Subscribers} subscribers at {options.Rate}/s; {options.Seconds} s on {bed.ProviderText}"
                : $"websub: the feed names a hub and is polled hourly; an analysis written and pushed every ~{FeedProbes.Every.TotalSeconds:F0} s while analysis 1 fans out to {options.Subscribers} subscribers at {options.Rate}/s; {options.Seconds} s on {bed.ProviderText}");
            if (!options.PollOnly)
            {
                write.Line("subscription", $"verified by the hub {subscribedIn.TotalSeconds:F1} s after the bot started; {pushes.Count} pushes, answered {string.Join(", ", pushes.GroupBy(status => (int)status).Select(group => $"{group.Count()} × {group.Key}"))}");
            }

            foreach (var (probe, latency) in latencies)
            {
                write.Line($"  analysis {probe}", latency is { } took ? (FormattableString)$"in the channel {took.TotalSeconds:F2} s after it was written" : $"never reached the channel");
            }

            var reached = latencies.Values.OfType<TimeSpan>().Select(time => time.TotalSeconds).Order().ToArray();
            write.Line("channel latency", reached.Length == 0
                ? (FormattableString)$"none reached the channel"
                : $"median {reached[reached.Length / 2]:F2} s, max {reached[^1]:F2} s over {reached.Length} of {latencies.Count} analyses; target with push {Target.TotalSeconds:F0} s");
            write.Line("feed polls", $"{site.Polls.Count} during the run");
            write.Line("fan-out meanwhile", $"{fanout.Accepted} subscriber messages, steady {fanout.SteadyRate:F1}/s of {options.Rate}/s, {fanout.TooManyRequests} 429s, {fanout.Duplicates} duplicates");
            write.Line("peak memory", $"{bot.PeakMegabytes:F0} MB resident (VmHWM of the atlas-bot process)");
            write.Line("reproduce", $"{options.Command}");
            var allReached = reached.Length == latencies.Count && fanout.Duplicates == 0;
            return allReached && (options.PollOnly || reached.All(seconds => seconds <= Target.TotalSeconds)) ? 0 : 1;
        }
    }
}
