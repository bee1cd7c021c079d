using Atlas.Bot.Feeds;
using Xunit;

namespace Atlas.Bot.Tests.Feeds;

public sealed class FeedDatesTests
{
    private static readonly TimeZoneInfo Baku = FeedFixtures.Baku;

    [Theory]
    [InlineData("Tue, 17 Nov 2026 09:00:00 +0000", "2026-11-17T09:00:00Z")]
    [InlineData("Tue, 17 Nov 2026 13:00:00 +0400", "2026-11-17T09:00:00Z")]
    [InlineData("Tue, 17 Nov 2026 09:00:00 GMT", "2026-11-17T09:00:00Z")]
    [InlineData("Tue, 17 Nov 2026 04:00:00 EST", "2026-11-17T09:00:00Z")]
    [InlineData("Tue, 17 Nov 2026 13:00:00 AZT", "2026-11-17T09:00:00Z")]
    [InlineData("17 Nov 26 09:00 UT", "2026-11-17T09:00:00Z")]
    [InlineData("2026-11-17T13:00:00+04:00", "2026-11-17T09:00:00Z")]
    [InlineData("2026-11-17T09:00:00.250Z", "2026-11-17T09:00:00Z")]
    [InlineData("Çər, 17 Noy 2026 13:00:00 +0400", "2026-11-17T09:00:00Z")]
    [InlineData("Вт, 17 ноября 2026 13:00:00 +0400", "2026-11-17T09:00:00Z")]
    public void A_date_with_a_zone_is_that_instant(string input, string expectedUtc)
    {
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), FeedDates.Parse(input, Baku));
    }

    [Theory]
    [InlineData("2026-11-20T18:30:00", "2026-11-20T14:30:00Z")]
    [InlineData("2026-11-20 18:30:00", "2026-11-20T14:30:00Z")]
    [InlineData("Fri, 20 Nov 2026 18:30:00", "2026-11-20T14:30:00Z")]
    [InlineData("2026-11-20", "2026-11-19T20:00:00Z")]
    public void A_date_without_a_zone_is_read_in_the_given_zone(string input, string expectedUtc)
    {
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), FeedDates.Parse(input, Baku));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Sun, 31 Feb 2026 10:00:00 GMT")]
    [InlineData("2026-11-17T25:00:00Z")]
    [InlineData("2026-13-01")]
    [InlineData("Tue, 17 Nov 2026 09:00:00 +99:00")]
    public void Something_that_is_not_a_date_is_null(string input)
    {
        Assert.Null(FeedDates.Parse(input, Baku));
    }
}
