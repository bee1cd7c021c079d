using System.Diagnostics;
using System.Globalization;

namespace Atlas.Bot.Load;

/// <summary>
/// The 403 storm: every tenth subscriber has blocked the bot (the double answers 403 "bot was blocked by the user").
/// Each of them must cost exactly one attempt and end inactive; the others must still be served at the limit.
/// </summary>
internal static class StormLoad
{
    private const int BlockedEvery = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        var blocked = chats.Where((_, i) => i % BlockedEvery == 0).Select(chat => chat.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        foreach (var chat in blocked)
        {
            bed.Api.BlockChat(chat);
        }

        var willing = chats.Where(chat => !blocked.Contains(chat.ToString(CultureInfo.InvariantCulture))).ToList();
        var (recordedAt, _) = await bed.RecordAnalysisAsync(1, ct);

        var wall = Stopwatch.StartNew();
        bool complete;
        double peak;
        var bot = bed.StartBot(bed.Environment(options));
        await using (bot)
        {
            complete = await bed.AwaitMessagesAsync(willing.Count + 1, TimeSpan.MaxValue, Patience, bot, ct);
            // The last 403s are being recorded; give the bot a moment before reading the subscribers.
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            peak = bot.PeakMegabytes;
        }

        var figures = FanoutFigures.From(bed.Api.Messages, bed.Calls, bed.Api.FloodRefusals, willing, new Dictionary<int, DateTimeOffset> { [1] = recordedAt });
        var attempts = bed.Calls.Where(call => call.IsSend && call.Chat is not null && blocked.Contains(call.Chat))
            .GroupBy(call => call.Chat!)
            .ToDictionary(group => group.Key, group => group.Count());
        var inactive = await bed.CountAsync("SELECT COUNT(*) FROM subscribers WHERE active = 0 AND left_reason = 'blocked';", ct);
        var write = new FigureWriter(output);
        write.Line("scenario", $"storm: one analysis to {options.Subscribers} subscribers at {options.Rate}/s; every {BlockedEvery}th ({blocked.Count}) has blocked the bot");
        write.Line("blocked attempts", $"{attempts.Values.Sum()} calls to {attempts.Count} of {blocked.Count} blocked chats; {attempts.Values.Count(count => count > 1)} got more than one");
        write.Line("deactivated", $"{inactive} subscribers inactive (left_reason 'blocked') of {blocked.Count} blocked");
        figures.WriteTo(write, options.Rate);
        write.Line("peak memory", $"{peak:F0} MB resident (VmHWM of the atlas-bot process)");
        write.Line("wall time", $"{wall.Elapsed.TotalSeconds:F1} s{(complete ? "" : " (gave up: nothing new arrived for a minute)")}");
        write.Line("reproduce", $"{options.Command}");
        return complete && figures.Losses == 0 && figures.Duplicates == 0 && inactive == blocked.Count && attempts.Values.All(count => count == 1) ? 0 : 1;
    }
}
