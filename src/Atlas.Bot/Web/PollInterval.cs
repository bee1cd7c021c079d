using Quartz;

namespace Atlas.Bot.Web;

/// <summary>How often a feed's cron schedule fires around a given moment, in the feed's own time zone.</summary>
public static class PollInterval
{
    /// <summary>The schedule, resolved in <paramref name="zone"/>; null when it is not a valid cron expression.</summary>
    public static CronExpression? Parse(string schedule, TimeZoneInfo zone) =>
        CronExpression.TryParse(schedule, out var cron) ? cron.WithTimeZone(zone) : null;

    /// <summary>
    /// The gap between the next two fire times after <paramref name="now"/>; null when the schedule does not fire
    /// twice more. Irregular schedules ("9:00 and 18:00") give the gap that is coming, which is the one that matters.
    /// </summary>
    public static TimeSpan? Of(CronExpression cron, DateTimeOffset now) =>
        cron.GetNextValidTimeAfter(now) is { } next && cron.GetNextValidTimeAfter(next) is { } after
            ? after - next
            : null;
}
