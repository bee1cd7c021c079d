using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Stats;

/// <summary>
/// Closes the days that are over: their figures are computed once and kept forever, and the per-minute open
/// counts older than the retention period are pruned. Runs just after midnight, and at start to catch up on days
/// missed while the bot was down.
/// </summary>
public sealed partial class DayCloser(Store store, StatsDays days, IOptions<StatsOptions> options, TimeProvider time, ILogger<DayCloser> log)
{
    public async Task<int> CloseFinishedDaysAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = days.DayOf(now);
        var first = await store.LastClosedDayAsync(ct) is { } last
            ? days.Day(last).Date.AddDays(1)
            : await store.FirstActivityAsync(ct) is { } activity ? days.DayOf(activity).Date : today.Date;

        var closed = 0;
        for (var date = first; date < today.Date; date = date.AddDays(1))
        {
            var day = days.Day(date);
            await store.CloseDayAsync(day.Key, day.StartUtc, day.EndUtc, DeliveryTargets.Channel, now, ct);
            LogClosed(day.Key);
            closed++;
        }

        var pruned = await store.PruneOpenCountsAsync(today.StartUtc.AddDays(-options.Value.RetentionDays), ct);
        if (pruned > 0)
        {
            LogPruned(pruned, options.Value.RetentionDays);
        }

        return closed;
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Closed the figures of {Day}")]
    private partial void LogClosed(string day);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Pruned {Count} per-minute open counts older than {Days} days")]
    private partial void LogPruned(int count, int days);
}
