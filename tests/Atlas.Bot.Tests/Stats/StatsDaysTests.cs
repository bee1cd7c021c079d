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
}
