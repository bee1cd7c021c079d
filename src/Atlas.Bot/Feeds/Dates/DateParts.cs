namespace Atlas.Bot.Feeds.Dates;

/// <summary>The fields read from a date string, checked only when they become an instant.</summary>
internal readonly record struct DateParts(int Year, int Month, int Day, int Hour, int Minute, int Second, TimeSpan? Offset)
{
    /// <summary>The instant, or null when a field is out of range; a missing zone means <paramref name="zoneForNaive"/>.</summary>
    public DateTimeOffset? ToInstant(TimeZoneInfo zoneForNaive)
    {
        if (Year is < 1 or > 9999 || Month is < 1 or > 12 || Day < 1 || Day > DateTime.DaysInMonth(Year, Month)
            || Hour is < 0 or > 23 || Minute is < 0 or > 59 || Second is < 0 or > 59)
        {
            return null;
        }

        var local = new DateTime(Year, Month, Day, Hour, Minute, Second, DateTimeKind.Unspecified);
        var offset = Offset ?? zoneForNaive.GetUtcOffset(local);
        if (offset.Duration() > TimeSpan.FromHours(14))
        {
            return null;
        }

        // Converting near DateTime.MinValue/MaxValue can overflow; such a date is as good as unreadable.
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return null;
        }
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
