using System.Diagnostics;
using System.Globalization;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Load;

/// <summary>
/// The latency scenarios' feed: an item the first poll takes as history, then new analyses ("probes") written into it
/// about every 10 s at a random phase, and when each reached the channel. <paramref name="head"/> goes first in the
/// channel element (the hub links of the websub scenario).
/// </summary>
internal sealed class FeedProbes(LoadBed bed, string head = "")
{
    public const int FirstProbe = 101;
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    private readonly List<(string Guid, string Title, DateTimeOffset Published)> _feed =
        [("load-history", "Old analysis", DateTimeOffset.UtcNow.AddDays(-1))];

    /// <summary>When each probe was written to the feed.</summary>
    public Dictionary<int, DateTimeOffset> Published { get; } = [];

    /// <summary>Writes the feed with its history item only, so that it counts as initialized before the probes.</summary>
    public Task WriteHistoryAsync(CancellationToken ct) => bed.WriteFeedAsync(_feed, ct, head);

    /// <summary>Writes a probe about every 10 s until <paramref name="seconds"/> of <paramref name="clock"/> are used; <paramref name="written"/> follows each write.</summary>
    public async Task RunAsync(Stopwatch clock, int seconds, Func<Task>? written, CancellationToken ct)
    {
        var random = new Random(6);
        for (var probe = FirstProbe; clock.Elapsed + Every < TimeSpan.FromSeconds(seconds); probe++)
        {
            // A random phase against the poll schedule, so the figures cover the whole interval.
            await Task.Delay(Every + TimeSpan.FromMilliseconds(random.Next(0, 2000)), ct);
            _feed.Insert(0, ($"load-{probe.ToString(CultureInfo.InvariantCulture)}", LoadBed.Title(probe), DateTimeOffset.UtcNow));
            await bed.WriteFeedAsync(_feed, ct, head);
            Published[probe] = DateTimeOffset.UtcNow;
            if (written is not null)
            {
                await written();
            }
        }
    }

    /// <summary>Whether every probe has reached the channel.</summary>
    public bool AllArrived(IReadOnlyList<SentMessage> messages) =>
        Latencies(messages).Values.All(latency => latency is not null);

    /// <summary>How long after its publication each probe reached the channel (its first message there); null when it never did.</summary>
    public Dictionary<int, TimeSpan?> Latencies(IReadOnlyList<SentMessage> messages)
    {
        var toChannel = messages.Where(message => message.Chat == LoadBed.Channel)
            .GroupBy(LoadBed.AnalysisOf)
            .ToDictionary(group => group.Key, group => group.Min(message => message.At));
        return Published.ToDictionary(
            probe => probe.Key,
            probe => toChannel.TryGetValue(probe.Key, out var at) ? at - probe.Value : (TimeSpan?)null);
    }
}
