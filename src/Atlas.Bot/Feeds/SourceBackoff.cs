namespace Atlas.Bot.Feeds;

/// <summary>
/// How long a feed's source is left alone after failures in a row, its polls and its WebSub hub alike: 1, 2, 4 …
/// minutes, at most an hour, whatever the schedule says.
/// </summary>
public static class SourceBackoff
{
    public static readonly TimeSpan Max = TimeSpan.FromHours(1);

    /// <summary>The wait after <paramref name="failures"/> failures in a row (1 or more).</summary>
    public static TimeSpan After(int failures) =>
        TimeSpan.FromTicks(Math.Min(Max.Ticks, TimeSpan.FromMinutes(1).Ticks << Math.Clamp(failures - 1, 0, 16)));
}
