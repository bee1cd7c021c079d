using System.Diagnostics;

namespace Atlas.Bot.Load;

/// <summary>
/// The faults scenario: three analyses recorded together fan out to N subscribers through <see cref="FaultyProxy"/>,
/// which spoils 20% of the send calls (5xx, 429 with retry_after up to 30 s, dropped connections before and after
/// the Bot API handled the call, a few timeouts). Everything must arrive, in publication order per chat, and nothing
/// twice beyond the calls whose answer was lost after the message was sent.
/// </summary>
internal static class FaultsLoad
{
    private const int Analyses = 3;

    /// <summary>How long the proxy holds a "timeout" call: longer than the bot waits for any send (30 s, TelegramSender).</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(100);

    /// <summary>Longer than a timeout fault, so a few of them do not end the run early.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        await using var proxy = await FaultyProxy.StartAsync(bed.Api.BaseUrl, ClientTimeout, ct);
        bed.ApiBaseUrl = proxy.BaseUrl;
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        var recorded = new Dictionary<int, DateTimeOffset>();
        for (var number = 1; number <= Analyses; number++)
        {
            recorded[number] = (await bed.RecordAnalysisAsync(number, ct)).RecordedAt;
        }

        var wall = Stopwatch.StartNew();
        bool complete;
        double peak;
        var bot = bed.StartBot(bed.Environment(options));
        await using (bot)
        {
            complete = await bed.AwaitMessagesAsync(Analyses * (chats.Count + 1), TimeSpan.MaxValue, Patience, bot, ct);
            // Late duplicates (a retry of a call whose answer was lost) would arrive now.
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            peak = bot.PeakMegabytes;
        }

        var messages = bed.Api.Messages;
        var figures = FanoutFigures.From(messages, bed.Calls, bed.Api.FloodRefusals, chats, recorded);
        var outOfOrder = messages.Where(message => message.ChatId > 0)
            .GroupBy(message => message.ChatId)
            .Count(chat => !chat.Select(LoadBed.AnalysisOf).Distinct().SequenceEqual(Enumerable.Range(1, Analyses)));
        var counts = proxy.Counts;
        var write = new FigureWriter(output);
        write.Line("scenario", $"faults: {Analyses} analyses recorded together to {options.Subscribers} subscribers at {options.Rate}/s; a proxy spoils 20% of send calls");
        write.Line("faults injected", $"{string.Join(", ", Enum.GetValues<Fault>().Select(fault => $"{fault} {counts.GetValueOrDefault(fault)}"))}");
        write.Line("  retry_after", $"{(proxy.RetryAfters.Count > 0 ? $"1 to {proxy.RetryAfters.Max()} s, mean {proxy.RetryAfters.Average():F1} s" : "none")}");
        figures.WriteTo(write, options.Rate);
        write.Line("out of order", $"{outOfOrder} chats received the analyses in another order than 1, 2, 3");
        write.Line("expected dups", $"at most {counts.GetValueOrDefault(Fault.DroppedAfter)} (answers lost after the message was sent)");
        write.Line("peak memory", $"{peak:F0} MB resident (VmHWM of the atlas-bot process)");
        write.Line("wall time", $"{wall.Elapsed.TotalSeconds:F1} s{(complete ? "" : $" (gave up: nothing new arrived for {Patience.TotalSeconds:F0} s)")}");
        write.Line("reproduce", $"{options.Command}");
        return complete && figures.Losses == 0 && outOfOrder == 0 && figures.Duplicates <= counts.GetValueOrDefault(Fault.DroppedAfter) ? 0 : 1;
    }
}
