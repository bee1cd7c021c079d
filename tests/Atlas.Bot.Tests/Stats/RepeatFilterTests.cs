using System.Net;
using Atlas.Bot.Stats;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Stats;

public sealed class RepeatFilterTests
{
    private const string Code = "Ab3dE5gH9k";
    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1";
    private static readonly IPAddress Reader = IPAddress.Parse("203.0.113.7");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_same_client_within_five_minutes_counts_once()
    {
        var filter = new RepeatFilter(_time);

        Assert.False(filter.IsRepeat(Code, Reader, Safari));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(filter.IsRepeat(Code, Reader, Safari));
        _time.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromMilliseconds(1));
        Assert.True(filter.IsRepeat(Code, Reader, Safari));
    }

    [Fact]
    public void The_same_client_after_five_minutes_counts_again()
    {
        var filter = new RepeatFilter(_time);

        Assert.False(filter.IsRepeat(Code, Reader, Safari));
        _time.Advance(RepeatFilter.Window);
        Assert.False(filter.IsRepeat(Code, Reader, Safari));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(filter.IsRepeat(Code, Reader, Safari));
    }

    [Fact]
    public void Another_address_another_browser_or_another_link_is_another_open()
    {
        var filter = new RepeatFilter(_time);

        Assert.False(filter.IsRepeat(Code, Reader, Safari));
        Assert.False(filter.IsRepeat(Code, IPAddress.Parse("203.0.113.8"), Safari));
        Assert.False(filter.IsRepeat(Code, Reader, "Mozilla/5.0 (Windows NT 10.0; rv:127.0) Firefox/127.0"));
        Assert.False(filter.IsRepeat("Zy9xW8vU7t", Reader, Safari));
        Assert.True(filter.IsRepeat(Code, Reader, Safari));
    }

    [Fact]
    public void A_client_without_a_known_address_is_still_told_apart_by_its_browser()
    {
        var filter = new RepeatFilter(_time);

        Assert.False(filter.IsRepeat(Code, null, Safari));
        Assert.True(filter.IsRepeat(Code, null, Safari));
        Assert.False(filter.IsRepeat(Code, null, "Mozilla/5.0 Firefox/127.0"));
    }
}
