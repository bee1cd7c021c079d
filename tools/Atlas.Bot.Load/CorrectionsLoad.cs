using System.Diagnostics;
using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Load;

/// <summary>
/// The corrections scenario: the fanout of one analysis to N subscribers and a channel, then a correction of it with
/// Delivery__EditPrivateCopies=true, so that every message sent is edited (N + 1 edits). Measures the edits' steady
/// rate against the limit (edits count in the double's flood windows like messages), 429s, edits twice to one message,
/// messages sent again (must be 0), and how long after the correction the last edit was accepted.
/// </summary>
internal static class CorrectionsLoad
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        await bed.RecordAnalysisAsync(1, ct);
        var bot = bed.StartBot(bed.Environment(options, new Dictionary<string, string> { ["Delivery__EditPrivateCopies"] = "true" }));
        await using (bot)
        {
            if (!await bed.AwaitMessagesAsync(chats.Count + 1, TimeSpan.MaxValue, Patience, bot, ct))
            {
                await Console.Error.WriteLineAsync(bot.Tail);
                return 1;
            }

            var sent = bed.Api.Messages.Count;
            var refusedBefore = bed.Api.FloodRefusals.Count;
            var seq = await bed.CountAsync("SELECT seq FROM items WHERE item_key = 'load-1'", ct);
            var title = LoadBed.Title(1) + ", corrected";
            var corrected = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var queued = await new Outbox(bed.Store).QueueCorrectionAsync(
                seq,
                new ItemRecord(LoadBed.FeedId, "load-1", title, "https://atlas.az/en/load-1/", corrected, null, "en"),
                new Post($"<b>{title}</b>\n\nWhat the fan-out carries, corrected.", ButtonText: "Read", ButtonUrl: "https://atlas.az/en/load-1/"),
                privateCopies: true, corrected, ct);
            var queuing = clock.Elapsed;

            var lastCount = 0;
            var lastChange = Stopwatch.StartNew();
            while (bed.Api.Edits.Count < queued && lastChange.Elapsed < Patience && !bot.HasExited)
            {
                await Task.Delay(250, ct);
                if (bed.Api.Edits.Count != lastCount)
                {
                    lastCount = bed.Api.Edits.Count;
                    lastChange.Restart();
                }
            }

            var edits = bed.Api.Edits.ToList();
            var times = edits.Select(edit => edit.At).Order().ToList();
            var span = times.Count > 1 ? times[^1] - times[0] : TimeSpan.Zero;
            var steady = times.Count > 2 && span > TimeSpan.FromSeconds(2)
                ? times.Count(at => at > times[0].AddSeconds(1) && at < times[^1].AddSeconds(-1)) / (span.TotalSeconds - 2)
                : double.NaN;
            var twice = edits.GroupBy(edit => (edit.ChatId, edit.MessageId)).Sum(group => group.Count() - 1);
            var refused = bed.Api.FloodRefusals.Count - refusedBefore;

            var write = new FigureWriter(output);
            write.Line("scenario", $"corrections on {bed.ProviderText}: one analysis sent to {options.Subscribers} subscribers and 1 channel, then corrected with Delivery__EditPrivateCopies=true; Delivery__GlobalPerSecond={options.Rate}; {FanoutLoad.DoubleText(options)}; edits count in its windows like messages");
            write.Line("queued", $"{queued} edits in {queuing.TotalMilliseconds:F0} ms (one transaction with the corrected post)");
            write.Line("edited", $"{edits.Count} of {queued} messages edited; the last {(times.Count > 0 ? (times[^1] - corrected).TotalSeconds : 0):F1} s after the correction (the dispatcher of another process wakes within 30 s: the harness cannot signal it)");
            write.Line("steady rate", $"{steady:F1}/s of {options.DoubleLimit}/s = {steady / options.DoubleLimit:P1} (first to last edit {span.TotalSeconds:F1} s, first and last second left out)");
            write.Line("429s", $"{refused} flood refusals by the double during the edits");
            write.Line("edited twice", $"{twice} (edits beyond the first of one message)");
            write.Line("sent again", $"{bed.Api.Messages.Count - sent} messages (a correction never posts again)");
            write.Line("peak memory", $"{bot.PeakMegabytes:F0} MB resident (VmHWM of the atlas-bot process)");
            write.Line("reproduce", $"{options.Command}");
            return edits.Count == queued && twice == 0 && bed.Api.Messages.Count == sent ? 0 : 1;
        }
    }
}
