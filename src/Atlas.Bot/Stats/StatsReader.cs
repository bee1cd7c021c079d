using Atlas.Bot.Storage;

namespace Atlas.Bot.Stats;

/// <summary>What /stats shows: today and in total, the most opened analyses today, subscribers, and the last 30 days.</summary>
public sealed record StatsSnapshot(
    Figures Today,
    Figures Total,
    IReadOnlyList<OpenedItem> MostOpenedToday,
    long SubscribersNow,
    long JoinedToday,
    long LeftToday,
    IReadOnlyList<DailySummary> LastDays);

/// <summary>The same two figures for one analysis.</summary>
public sealed record ItemStats(TrackedItem Item, Figures Today, Figures Total);

/// <summary>
/// Reads the view counts. Closed days come from the daily figures; the days not closed yet (today, and any the
/// close job has not reached) are counted live from the deliveries and the per-minute opens, so totals are exact at
/// any moment.
/// </summary>
public sealed class StatsReader(Store store, StatsDays days, TimeProvider time)
{
    public const int ChartDays = 30;

    public async Task<StatsSnapshot> OverallAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = days.DayOf(now);
        var todayFigures = await store.FiguresBetweenAsync(today.StartUtc, UpToNow(now), itemSeq: null, ct);
        var total = await TotalAsync(itemSeq: null, now, ct);
        var top = await store.MostOpenedAsync(today.StartUtc, today.EndUtc, 5, ct);
        var (active, joined, left) = await store.SubscriberChangesAsync(today.StartUtc, today.EndUtc, ct);
        return new StatsSnapshot(todayFigures, total, top, active, joined, left, await LastDaysAsync(today, ct));
    }

    /// <summary>The figures of one analysis, found by its tracked code or its link; null when unknown.</summary>
    public async Task<ItemStats?> ForItemAsync(string codeOrLink, CancellationToken ct)
    {
        if (await store.FindTrackedItemByCodeOrLinkAsync(codeOrLink.Trim(), ct) is not { } item)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var today = days.DayOf(now);
        return new ItemStats(
            item,
            await store.FiguresBetweenAsync(today.StartUtc, UpToNow(now), item.ItemSeq, ct),
            await TotalAsync(item.ItemSeq, now, ct));
    }

    /// <summary>Daily figures between two dates inclusive: closed days as stored, the open ones counted live.</summary>
    public async Task<IReadOnlyList<DailySummary>> RangeAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var closed = (await store.DailySummariesAsync(days.Day(from).Key, days.Day(to).Key, ct)).ToDictionary(d => d.Day);
        var now = time.GetUtcNow();
        var result = new List<DailySummary>();
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            var day = days.Day(date);
            if (closed.TryGetValue(day.Key, out var summary))
            {
                result.Add(summary);
            }
            else if (day.StartUtc <= now)
            {
                result.Add(await LiveAsync(day, now, ct));
            }
        }

        return result;
    }

    /// <summary>The end of a span that runs up to now: times are stored in whole milliseconds, so the current one must count.</summary>
    private static DateTimeOffset UpToNow(DateTimeOffset now) => now.AddMilliseconds(1);

    private async Task<Figures> TotalAsync(long? itemSeq, DateTimeOffset now, CancellationToken ct)
    {
        var closed = await store.ClosedTotalsAsync(itemSeq, ct);
        var openFrom = await store.LastClosedDayAsync(ct) is { } last
            ? days.Day(last).EndUtc
            : DateTimeOffset.UnixEpoch;
        var open = await store.FiguresBetweenAsync(openFrom, UpToNow(now), itemSeq, ct);
        return new Figures(closed.Deliveries + open.Deliveries, closed.Opens + open.Opens);
    }

    private async Task<IReadOnlyList<DailySummary>> LastDaysAsync(StatsDay today, CancellationToken ct) =>
        await RangeAsync(today.Date.AddDays(1 - ChartDays), today.Date, ct);

    private async Task<DailySummary> LiveAsync(StatsDay day, DateTimeOffset now, CancellationToken ct)
    {
        var end = day.EndUtc < now ? day.EndUtc : UpToNow(now);
        var figures = await store.FiguresBetweenAsync(day.StartUtc, end, itemSeq: null, ct);
        var (active, joined, left) = await store.SubscriberChangesAsync(day.StartUtc, end, ct);
        return new DailySummary(day.Key, figures.Deliveries, figures.Opens, active, joined, left);
    }
}
