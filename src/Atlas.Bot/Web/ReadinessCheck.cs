using System.Globalization;
using System.Text;
using Atlas.Bot.Feeds;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;
using Quartz;

namespace Atlas.Bot.Web;

/// <summary>The answer to "is the bot doing its job?": empty problems means ready.</summary>
public sealed record Readiness(IReadOnlyList<string> Problems)
{
    public bool Ready => Problems.Count == 0;
}

/// <summary>
/// Ready when the database answers, the scheduler runs, and every feed had a successful poll within
/// <see cref="Intervals"/> of its intervals. Computed afresh on every request: a ping, the scheduler's status
/// and one query per feed. Problems name feeds and reasons, never secrets (no token, no connection string).
/// </summary>
public sealed class ReadinessCheck(Store store, ISchedulerFactory schedulers, IOptions<FeedsOptions> feeds, ServiceStart start, TimeProvider time)
{
    /// <summary>Missed intervals a feed may have before it makes the bot unready (one failure is weather).</summary>
    public const int Intervals = 3;

    private readonly IReadOnlyList<(FeedOptions Feed, CronExpression? Schedule)> _feeds =
        [.. feeds.Value.Feeds.Select(feed => (feed, PollInterval.Parse(feed.Schedule, feed.Zone)))];

    public async Task<Readiness> CheckAsync(CancellationToken ct)
    {
        if (!await store.PingAsync(ct))
        {
            // Feed states live in the database: nothing more to learn.
            return new Readiness(["database: not answering"]);
        }

        var problems = new List<string>();
        if (await SchedulerProblemAsync(ct) is { } scheduler)
        {
            problems.Add("scheduler: " + scheduler);
        }

        var now = time.GetUtcNow();
        foreach (var (feed, schedule) in _feeds)
        {
            if (schedule is not null && await FeedProblemAsync(feed.Id, schedule, now, ct) is { } problem)
            {
                problems.Add($"feed {feed.Id}: {problem}");
            }
        }

        return new Readiness(problems);
    }

    private async Task<string?> SchedulerProblemAsync(CancellationToken ct)
    {
        try
        {
            var scheduler = await schedulers.GetScheduler(ct);
            return await scheduler.GetStatus(ct) switch
            {
                SchedulerStatus.Running => null,
                SchedulerStatus.Created => "not started yet",
                SchedulerStatus.Standby => "in standby",
                SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown => "shut down",
                var other => other.ToString().ToLowerInvariant(),
            };
        }
        catch (SchedulerException exception)
        {
            return "not available: " + exception.Message;
        }
    }

    private async Task<string?> FeedProblemAsync(string feedId, CronExpression schedule, DateTimeOffset now, CancellationToken ct)
    {
        if (PollInterval.Of(schedule, now) is not { } interval)
        {
            return null;
        }

        var window = interval * Intervals;
        var state = await store.GetFeedStateAsync(feedId, ct);
        if (state.LastSuccessAt is { } success && now - success <= window)
        {
            return null;
        }

        // Nothing succeeded since this start: the first polls get as long as later ones before they count.
        var started = start.At;
        if ((state.LastSuccessAt is null || state.LastSuccessAt < started) && now - started <= window)
        {
            return null;
        }

        var problem = $"no successful poll in {Duration(window)} ({Intervals} intervals)";
        return state.LastError is { } error ? $"{problem}; last error: {error}" : problem;
    }

    /// <summary>"6m", "1h30m", "6s": short, as ops read it.</summary>
    internal static string Duration(TimeSpan span)
    {
        var text = new StringBuilder();
        Append(text, (int)span.TotalDays, 'd');
        Append(text, span.Hours, 'h');
        Append(text, span.Minutes, 'm');
        Append(text, span.Seconds, 's');
        return text.Length == 0 ? "0s" : text.ToString();

        static void Append(StringBuilder text, int value, char unit)
        {
            if (value > 0)
            {
                text.Append(value.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }
    }
}
