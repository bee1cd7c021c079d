using System.Diagnostics;

namespace Atlas.Bot.Load;

/// <summary>
/// The crash scenario: during a fan-out, atlas-bot is killed with SIGKILL at a random moment, K times, and restarted
/// each time; then it is left to finish. Before each restart the harness reads what was in flight: deliveries leased
/// but not marked sent. Those the double had already accepted are the duplicates the kill will cause (sent again
/// once the lease runs out); those it had not are sends that never left or never arrived.
/// </summary>
internal static class CrashLoad
{
    /// <summary>Shorter than the default 60 s, so the run is not mostly waiting for leases; the logic is the same.</summary>
    private const int LeaseSeconds = 10;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private sealed record Kill(int Number, double AfterSeconds, int AcceptedBefore, int InFlight, int AlreadyAccepted);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        var (recordedAt, _) = await bed.RecordAnalysisAsync(1, ct);
        var environment = bed.Environment(options,
            new Dictionary<string, string> { ["Delivery__LeaseSeconds"] = $"{LeaseSeconds}" });

        var random = new Random(6);
        var kills = new List<Kill>();
        var peak = 0.0;
        var wall = Stopwatch.StartNew();
        for (var number = 1; number <= options.Kills; number++)
        {
            var before = bed.Delivered();
            if (before > chats.Count)
            {
                // Finished before all the kills were spent: the figures say how many there were.
                break;
            }

            var bot = bed.StartBot(environment);
            await using (bot)
            {
                // Killed at a random moment once it is sending again: 1 to 12 s into the sending.
                await bed.AwaitMessagesAsync(before + 1, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), bot, ct);
                var running = Stopwatch.StartNew();
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1_000, 12_000)), ct);
                if (bed.Delivered() > chats.Count)
                {
                    break;
                }

                await bot.KillAsync();
                peak = Math.Max(peak, bot.PeakMegabytes);
                var accepted = bed.Api.Messages;
                var leased = await bed.ListAsync(
                    "SELECT chat FROM deliveries WHERE state = 'pending' AND lease_until > @now;", ct,
                    ("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
                var acceptedChats = accepted.Select(message => message.Chat).ToHashSet(StringComparer.Ordinal);
                kills.Add(new Kill(number, running.Elapsed.TotalSeconds, accepted.Count, leased.Count, leased.Count(acceptedChats.Contains)));
            }
        }

        var last = bed.StartBot(environment);
        bool complete;
        await using (last)
        {
            complete = await bed.AwaitMessagesAsync(chats.Count + 1, TimeSpan.MaxValue, Patience, last, ct);
            // Anything sent twice after the last message would show up now; give the leases time to run out.
            await Task.Delay(TimeSpan.FromSeconds(LeaseSeconds + 2), ct);
            peak = Math.Max(peak, last.PeakMegabytes);
        }

        var figures = FanoutFigures.From(bed.Api.Messages, bed.Calls, bed.Api.FloodRefusals, chats, new Dictionary<int, DateTimeOffset> { [1] = recordedAt });
        var write = new FigureWriter(output);
        write.Line("scenario", $"crash on {bed.ProviderText}: one analysis to {options.Subscribers} subscribers at {options.Rate}/s; atlas-bot killed with SIGKILL {options.Kills} times at random moments and restarted; Delivery__LeaseSeconds={LeaseSeconds}");
        foreach (var kill in kills)
        {
            write.Line($"  kill {kill.Number,2}", $"{kill.AfterSeconds,5:F1} s after sending resumed, {kill.AcceptedBefore,5} accepted so far; in flight {kill.InFlight}, of which {kill.AlreadyAccepted} already accepted by the Bot API");
        }

        var expectedDuplicates = kills.Sum(kill => kill.AlreadyAccepted);
        write.Line("in flight", $"{kills.Sum(kill => kill.InFlight)} leased deliveries at the {kills.Count} kills; {expectedDuplicates} of them already accepted (the duplicates to expect)");
        figures.WriteTo(write, options.Rate);
        write.Line("peak memory", $"{peak:F0} MB resident (highest VmHWM of the {kills.Count + 1} processes)");
        write.Line("wall time", $"{wall.Elapsed.TotalSeconds:F1} s{(complete ? "" : " (gave up: nothing new arrived for a minute)")}");
        write.Line("reproduce", $"{options.Command}");
        return complete && figures.Losses == 0 && figures.Duplicates <= kills.Sum(kill => kill.InFlight) ? 0 : 1;
    }
}
