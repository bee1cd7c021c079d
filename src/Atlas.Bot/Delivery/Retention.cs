using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Delivery;

/// <summary>What one retention pass deleted, per table.</summary>
public sealed record PrunedRows(long Deliveries, long Messages, long Audit);

/// <summary>
/// Keeps the tables that would otherwise only grow to <c>Storage__KeepDays</c>: finished deliveries, the replies and
/// announcements no delivery refers to any more, audit lines. What the bot still needs stays whatever its age:
/// deliveries still to be sent (pending, parked), the items (which keep a post from ever going out twice), their
/// links, the daily figures. The inbox and its per-update state are pruned after a week by the update processor,
/// raw opens by the day closer.
/// </summary>
public sealed partial class Retention(Store store, StatsDays days, IOptions<StorageOptions> options, BotMetrics metrics, TimeProvider time, ILogger<Retention> log)
{
    public async Task<PrunedRows> PruneAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var keepDays = options.Value.KeepDays;
        var before = time.GetUtcNow().AddDays(-keepDays);

        // A sent post is counted when its day's figures are closed, and days are closed in order: what was sent before
        // the end of the last closed day is counted. The rest waits for the next pass (after an outage the day closer
        // catches up at start, perhaps while this pass runs).
        DateTimeOffset? sentBefore = await store.LastClosedDayAsync(ct) is { } closed ? Min(days.Day(closed).EndUtc, before) : null;
        if (sentBefore != before)
        {
            LogWaitingForClose(sentBefore);
        }

        var pruned = new PrunedRows(
            await store.PruneDeliveriesAsync(before, sentBefore, ct),
            // After the deliveries: a reply or an announcement goes with its last delivery.
            await store.PruneMessagesAsync(before, ct),
            await store.PruneAuditAsync(before, ct));
        metrics.Pruned("deliveries", pruned.Deliveries);
        metrics.Pruned("messages", pruned.Messages);
        metrics.Pruned("audit", pruned.Audit);
        var elapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
        LogPruned(pruned.Deliveries, pruned.Messages, pruned.Audit, keepDays, elapsedMs);
        return pruned;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information,
        Message = "Retention deleted {Deliveries} deliveries, {Messages} messages and {Audit} audit lines older than {KeepDays} days in {ElapsedMs} ms")]
    private partial void LogPruned(long deliveries, long messages, long audit, int keepDays, long elapsedMs);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Debug,
        Message = "Sent deliveries from {CountedUntil} on are kept until the day closer has counted them (null: no day closed yet)")]
    private partial void LogWaitingForClose(DateTimeOffset? countedUntil);
}
