using System.Globalization;

namespace Atlas.Bot.Stats;

/// <summary>A calendar day in the stats time zone and the UTC instants it spans (start inclusive, end exclusive).</summary>
public sealed record StatsDay(DateOnly Date, DateTimeOffset StartUtc, DateTimeOffset EndUtc)
{
    /// <summary>"2026-11-28": how days are stored and printed.</summary>
    public string Key => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// Turns instants into the center's calendar days (<c>Stats__TimeZone</c>), DST-safe (a day may have 23 or 25 hours),
/// and shows instants to admins in the same zone, so "today" and the times beside it agree.
/// </summary>
public sealed class StatsDays(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    /// <summary>An instant as admins read it: "28.11.2026 14:05" in the center's zone.</summary>
    public string Show(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    public StatsDay DayOf(DateTimeOffset instant) => Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime));

    /// <summary>The day a stored key ("2026-11-28") names.</summary>
    public StatsDay Day(string key) => Day(DateOnly.ParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture));

    public StatsDay Day(DateOnly date) => new(date, StartOf(date), StartOf(date.AddDays(1)));

    private DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A midnight that does not exist (a DST jump at 00:00) starts the day at the first valid minute.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
