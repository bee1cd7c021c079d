using System.Globalization;

namespace Atlas.Bot.Commands;

/// <summary>Times as the admins read them: Baku time, "28.11.2026 14:05".</summary>
public static class BakuTime
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku");

    public static string Format(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, Zone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
}
