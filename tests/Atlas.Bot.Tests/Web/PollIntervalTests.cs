using Atlas.Bot.Web;

namespace Atlas.Bot.Tests.Web;

public sealed class PollIntervalTests
{
    private static readonly TimeZoneInfo Baku = TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku");

    [Theory]
    [InlineData("0 0/2 * * * ?", "2026-11-28T10:00:30+04:00", "00:02:00")]
    [InlineData("0/2 * * * * ?", "2026-11-28T10:00:00+04:00", "00:00:02")]
    [InlineData("0 0 * * * ?", "2026-11-28T10:20:00+04:00", "01:00:00")]
    // Twice a day in Baku's time: from 10:00 the next gap is 18:00 → 09:00, fifteen hours.
    [InlineData("0 0 9,18 * * ?", "2026-11-28T10:00:00+04:00", "15:00:00")]
    public void The_interval_is_the_gap_between_the_next_two_fire_times_in_the_feeds_zone(string schedule, string now, string interval)
    {
        var cron = PollInterval.Parse(schedule, Baku);

        Assert.NotNull(cron);
        Assert.Equal(TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture), PollInterval.Of(cron, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_schedule_that_is_not_cron_has_no_interval() =>
        Assert.Null(PollInterval.Parse("every minute", Baku));

    [Theory]
    [InlineData(6, "6s")]
    [InlineData(360, "6m")]
    [InlineData(5400, "1h30m")]
    [InlineData(270000, "3d3h")]
    public void Durations_read_short(int seconds, string text) =>
        Assert.Equal(text, Atlas.Bot.Web.ReadinessCheck.Duration(TimeSpan.FromSeconds(seconds)));
}
