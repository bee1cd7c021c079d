using System.Globalization;
using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Delivery;

/// <summary>The quiet-hours rule: which hours a span holds, on the wall clock of the center's zone, and what goes silently.</summary>
public sealed class QuietHoursTests
{
    private static readonly TimeZoneInfo Baku = TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    // A span across midnight: 22–07 is 22:00 to 06:59:59.
    [InlineData(22, 7, 21, false)]
    [InlineData(22, 7, 22, true)]
    [InlineData(22, 7, 23, true)]
    [InlineData(22, 7, 0, true)]
    [InlineData(22, 7, 6, true)]
    [InlineData(22, 7, 7, false)]
    [InlineData(22, 7, 12, false)]
    // A span within one day: 00–09.
    [InlineData(0, 9, 23, false)]
    [InlineData(0, 9, 0, true)]
    [InlineData(0, 9, 8, true)]
    [InlineData(0, 9, 9, false)]
    // The narrowest spans: one hour, either side of midnight.
    [InlineData(23, 0, 23, true)]
    [InlineData(23, 0, 0, false)]
    [InlineData(0, 1, 0, true)]
    [InlineData(0, 1, 1, false)]
    // The widest: every hour but one.
    [InlineData(8, 7, 7, false)]
    [InlineData(8, 7, 8, true)]
    [InlineData(8, 7, 6, true)]
    public void A_span_holds_the_hours_from_its_start_up_to_its_end(int start, int end, int hour, bool quiet) =>
        Assert.Equal(quiet, QuietHours.Contains(new QuietSpan(start, end), hour));

    [Fact]
    public void A_span_that_starts_where_it_ends_holds_no_hour() =>
        Assert.All(Enumerable.Range(0, 24), hour => Assert.False(QuietHours.Contains(new QuietSpan(5, 5), hour)));

    [Theory]
    // Baku keeps UTC+4 all year: 22–07 is 18:00 to 02:59:59 UTC, winter and summer alike.
    [InlineData("Asia/Baku", "2026-01-15T17:59:59Z", false)]
    [InlineData("Asia/Baku", "2026-01-15T18:00:00Z", true)]
    [InlineData("Asia/Baku", "2026-01-16T02:59:59Z", true)]
    [InlineData("Asia/Baku", "2026-01-16T03:00:00Z", false)]
    [InlineData("Asia/Baku", "2026-07-16T02:59:59Z", true)]
    [InlineData("Asia/Baku", "2026-07-16T03:00:00Z", false)]
    // Berlin moves its clock: the same UTC instant is 06:30 in winter (quiet) and 07:30 in summer (not).
    [InlineData("Europe/Berlin", "2026-01-15T05:30:00Z", true)]
    [InlineData("Europe/Berlin", "2026-07-15T05:30:00Z", false)]
    [InlineData("Europe/Berlin", "2026-07-15T04:59:59Z", true)]
    [InlineData("Europe/Berlin", "2026-07-15T20:00:00Z", true)]
    [InlineData("Europe/Berlin", "2026-01-15T20:00:00Z", false)]
    // The night the clocks go forward (29 March 2026, 02:00 → 03:00) and back (25 October 2026, 03:00 → 02:00).
    [InlineData("Europe/Berlin", "2026-03-29T00:30:00Z", true)]
    [InlineData("Europe/Berlin", "2026-03-29T04:59:59Z", true)]
    [InlineData("Europe/Berlin", "2026-03-29T05:00:00Z", false)]
    [InlineData("Europe/Berlin", "2026-10-25T00:30:00Z", true)]
    [InlineData("Europe/Berlin", "2026-10-25T05:59:59Z", true)]
    [InlineData("Europe/Berlin", "2026-10-25T06:00:00Z", false)]
    public void Hours_are_read_on_the_wall_clock_of_the_zone(string zone, string instant, bool quiet) =>
        Assert.Equal(quiet, QuietHours.IsQuiet(new QuietSpan(22, 7), DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture), zone == "Asia/Baku" ? Baku : Berlin));

    [Fact]
    public void Without_quiet_hours_nothing_is_quiet() =>
        Assert.False(QuietHours.IsQuiet(null, DateTimeOffset.Parse("2026-01-15T23:00:00Z", CultureInfo.InvariantCulture), Baku));

    [Theory]
    [InlineData("subscriber", true)]
    [InlineData("channel", false)]
    [InlineData("reply", false)]
    public void Only_a_subscribers_delivery_goes_silently_and_only_inside_their_span(string target, bool silent)
    {
        var night = DateTimeOffset.Parse("2026-01-15T20:00:00Z", CultureInfo.InvariantCulture); // 00:00 in Baku
        var day = night.AddHours(12);
        var delivery = new ClaimedDelivery(1, "101", target, PostForm.Formatted, 0, "en", "Title", Post.Text("<b>Title</b>")) { Quiet = new QuietSpan(23, 8) };

        Assert.Equal((silent, false), (QuietHours.Silences(delivery, night, Baku), QuietHours.Silences(delivery, day, Baku)));
    }

    [Theory]
    [InlineData(0, 23, true)]
    [InlineData(23, 0, true)]
    [InlineData(5, 5, false)]
    [InlineData(24, 3, false)]
    [InlineData(3, 24, false)]
    [InlineData(-1, 3, false)]
    public void A_span_a_chat_may_keep_is_whole_hours_with_start_and_end_apart(int start, int end, bool valid) =>
        Assert.Equal(valid, QuietHours.IsValid(new QuietSpan(start, end)));
}
