using System.Globalization;
using Atlas.Bot.Stats;
using Xunit;

namespace Atlas.Bot.Tests.Stats;

public sealed class StatsDaysTests
{
    private static readonly DateTimeOffset Evening = new(2026, 11, 28, 21, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Asia/Baku", "29.11.2026 01:30", "2026-11-29")]
    [InlineData("Europe/London", "28.11.2026 21:30", "2026-11-28")]
    [InlineData("America/New_York", "28.11.2026 16:30", "2026-11-28")]
    public void Times_shown_to_admins_and_the_day_they_count_in_follow_the_configured_zone(string zone, string shown, string day)
    {
        var days = new StatsDays(TimeZoneInfo.FindSystemTimeZoneById(zone));

        Assert.Equal((shown, day), (days.Show(Evening), days.DayOf(Evening).Key));
    }

    [Theory]
    // Clocks go forward at 02:00 CET: the day runs from 00:00 CET (23:00 UTC) to 00:00 CEST (22:00 UTC).
    [InlineData("2026-03-29", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", 23)]
    // Clocks go back at 03:00 CEST: the day runs from 00:00 CEST (22:00 UTC) to 00:00 CET (23:00 UTC).
    [InlineData("2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 25)]
    public void A_day_with_a_clock_change_in_Berlin_is_23_or_25_hours_long_and_its_first_and_last_instants_are_its_own(string date, string start, string end, int hours)
    {
        var days = new StatsDays(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var (startUtc, endUtc) = (DateTimeOffset.Parse(start, CultureInfo.InvariantCulture), DateTimeOffset.Parse(end, CultureInfo.InvariantCulture));

        var day = days.Day(DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture));

        Assert.Equal((startUtc, endUtc, hours), (day.StartUtc, day.EndUtc, (int)(day.EndUtc - day.StartUtc).TotalHours));
        Assert.Equal(
            [day.Date.AddDays(-1), day.Date, day.Date, day.Date.AddDays(1)],
            new[] { startUtc.AddTicks(-1), startUtc, endUtc.AddTicks(-1), endUtc }.Select(instant => days.DayOf(instant).Date));
    }
}
