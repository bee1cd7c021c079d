using System.Diagnostics;

namespace Atlas.Bot.Load;

/// <summary>
/// The command-flood scenario: while one analysis fans out to N subscribers at the global limit, one person sends
/// /latest 30 times a second for --seconds (300 in 10 s by default), through getUpdates as Telegram would deliver them.
/// Replies go ahead of posts, so without a budget the flood would take its share of the fan-out's sends. Measures the
/// fan-out's duration against N / rate and how many messages the flooder got (the issue asks at most 10 and at most
/// 10% longer).
/// </summary>
internal static class CommandFloodLoad
{
    private const long Flooder = 42;
    private const int PerSecond = 30;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        await using var bed = await LoadBed.CreateAsync(options, ct);
        var chats = await bed.SeedSubscribersAsync(options.Subscribers, ct);
        await bed.RecordAnalysisAsync(1, ct);

        var commands = PerSecond * options.Seconds;
        var wall = Stopwatch.StartNew();
        bool complete;
        TimeSpan flooding;
        long handled;
        double peak;
        var bot = bed.StartBot(bed.Environment(options, new Dictionary<string, string> { ["Telegram__Updates"] = "Polling" }));
        await using (bot)
        {
            // The flood starts once the fan-out runs, and keeps to its own schedule (open loop).
            while (!bed.Api.Messages.Any(message => message.ChatId >= LoadBed.FirstChat) && !bot.HasExited && wall.Elapsed < Patience)
            {
                await Task.Delay(50, ct);
            }

            var flood = Stopwatch.StartNew();
            for (var i = 0; i < commands; i++)
            {
                bed.Api.EnqueueMessage(Flooder, "/latest");
                var due = TimeSpan.FromSeconds((i + 1) / (double)PerSecond) - flood.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, ct);
                }
            }

            flooding = flood.Elapsed;
            complete = await WaitForFanoutAsync(bed, chats.Count + 1, bot, ct);
            // Replies to the last commands would arrive now.
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            handled = await bed.CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL;", ct);
            peak = bot.PeakMegabytes;
        }

        var fanout = bed.Api.Messages.Where(message => message.ChatId >= LoadBed.FirstChat || message.Chat == LoadBed.Channel).OrderBy(message => message.At).ToList();
        var duration = fanout.Count > 1 ? fanout[^1].At - fanout[0].At : TimeSpan.Zero;
        var ideal = TimeSpan.FromSeconds(options.Subscribers / (double)options.Rate);
        var ratio = duration / ideal;
        var replies = bed.Api.Messages.Where(message => message.ChatId == Flooder).ToList();
        var notices = replies.Count(message => (message.Text ?? "").StartsWith("Too many requests", StringComparison.Ordinal));

        var write = new FigureWriter(output);
        write.Line("scenario", $"command-flood: one analysis to {options.Subscribers} subscribers and 1 channel at {options.Rate}/s; meanwhile user {Flooder} sends /latest {PerSecond} times a second for {options.Seconds} s ({commands}); {FanoutLoad.DoubleText(options)}");
        write.Line("flood", $"{commands} commands queued in {flooding.TotalSeconds:F1} s; {handled} updates handled by the end");
        write.Line("fan-out", $"{fanout.Count} of {chats.Count + 1} delivered in {duration.TotalSeconds:F1} s, first to last; N / rate = {ideal.TotalSeconds:F1} s; ratio {ratio:F3} (at most 1.10 asked)");
        write.Line("flooder got", $"{replies.Count} messages ({replies.Count - notices} answers, {notices} 'too many requests'); at most 10 asked");
        write.Line("429s", $"{bed.Api.FloodRefusals.Count}");
        write.Line("peak memory", $"{peak:F0} MB resident (VmHWM of the atlas-bot process)");
        write.Line("wall time", $"{wall.Elapsed.TotalSeconds:F1} s{(complete ? "" : " (gave up: the fan-out did not finish)")}");
        write.Line("reproduce", $"{options.Command}");
        return complete && ratio <= 1.10 && replies.Count <= 10 && bed.Api.FloodRefusals.Count == 0 ? 0 : 1;
    }

    /// <summary>Waits until every subscriber and the channel has the analysis (the flooder's replies do not count).</summary>
    private static async Task<bool> WaitForFanoutAsync(LoadBed bed, int count, BotProcess bot, CancellationToken ct)
    {
        var lastCount = -1;
        var lastChange = Stopwatch.StartNew();
        while (true)
        {
            var delivered = bed.Api.Messages.Count(message => LoadBed.AnalysisOf(message) == 1 && message.ChatId != Flooder);
            if (delivered >= count)
            {
                return true;
            }

            if (delivered != lastCount)
            {
                (lastCount, lastChange) = (delivered, Stopwatch.StartNew());
            }

            if (lastChange.Elapsed >= Patience || bot.HasExited)
            {
                return false;
            }

            await Task.Delay(250, ct);
        }
    }
}
