using System.Globalization;
using System.Net;
using Atlas.Bot.Stats;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Stats;

public sealed class RepeatFilterTests
{
    private const string Code = "Ab3dE5gH9k";
    private const string OtherCode = "Zy9xW8vU7t";
    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1";
    private static readonly IPAddress Reader = IPAddress.Parse("203.0.113.7");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_same_client_within_five_minutes_counts_once()
    {
        var filter = new RepeatFilter(_time);

        Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, Reader, Safari));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(OpenOutcome.Repeat, filter.Admit(Code, Reader, Safari));
        _time.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(OpenOutcome.Repeat, filter.Admit(Code, Reader, Safari));
    }

    [Fact]
    public void The_same_client_after_five_minutes_counts_again()
    {
        var filter = new RepeatFilter(_time);

        Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, Reader, Safari));
        _time.Advance(RepeatFilter.Window);
        Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, Reader, Safari));
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(OpenOutcome.Repeat, filter.Admit(Code, Reader, Safari));
    }

    [Fact]
    public void Another_address_another_browser_or_another_link_is_another_open()
    {
        var filter = new RepeatFilter(_time);

        Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, Reader, Safari));
        Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, IPAddress.Parse("203.0.113.8"), Safari));
        Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, Reader, "Mozilla/5.0 (Windows NT 10.0; rv:127.0) Firefox/127.0"));
        Assert.Equal(OpenOutcome.Counted, filter.Admit(OtherCode, Reader, Safari));
        Assert.Equal(OpenOutcome.Repeat, filter.Admit(Code, Reader, Safari));
    }

    [Fact]
    public void A_client_without_a_known_address_is_still_told_apart_by_its_browser()
    {
        var filter = new RepeatFilter(_time);

        Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, null, Safari));
        Assert.Equal(OpenOutcome.Repeat, filter.Admit(Code, null, Safari));
        Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, null, "Mozilla/5.0 Firefox/127.0"));
    }

    [Fact]
    public void A_flood_of_a_thousand_browsers_from_one_address_within_an_hour_counts_thirty_opens()
    {
        var filter = new RepeatFilter(_time);

        var outcomes = Flood(filter, Code, Reader, 1000, TimeSpan.FromSeconds(3));

        Assert.Equal(RepeatFilter.PerAddressLimit, outcomes.Count(outcome => outcome == OpenOutcome.Counted));
        Assert.Equal(1000 - RepeatFilter.PerAddressLimit, outcomes.Count(outcome => outcome == OpenOutcome.Limited));
        Assert.Equal(1, filter.Remembered);
    }

    [Fact]
    public void An_hour_after_the_flood_the_address_counts_again()
    {
        var filter = new RepeatFilter(_time);
        Flood(filter, Code, Reader, 1000, TimeSpan.Zero);

        _time.Advance(RepeatFilter.LimitWindow - TimeSpan.FromMilliseconds(1));
        Assert.Equal(OpenOutcome.Limited, filter.Admit(Code, Reader, "Mozilla/5.0 Later/1"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var after = Flood(filter, Code, Reader, 100, TimeSpan.Zero, "after");

        Assert.Equal(RepeatFilter.PerAddressLimit, after.Count(outcome => outcome == OpenOutcome.Counted));
    }

    [Fact]
    public void The_limit_holds_over_every_hour_not_only_the_hour_after_the_first_open()
    {
        var filter = new RepeatFilter(_time);
        var counted = new List<int>();
        var start = _time.GetUtcNow();
        foreach (var (minute, requests) in new[] { (0, 1), (50, 40), (60, 40), (110, 40) })
        {
            _time.SetUtcNow(start.AddMinutes(minute));
            counted.Add(Flood(filter, Code, Reader, requests, TimeSpan.Zero, $"minute {minute}").Count(outcome => outcome == OpenOutcome.Counted));
        }

        // At minute 60 only the open of minute 0 has left the hour, not the 29 of minute 50: an hour fixed from
        // minute 0 would let 30 more in there, 59 within the hour from 50 to 110.
        Assert.Equal([1, 29, 1, 29], counted);
    }

    [Fact]
    public void A_flooding_address_stops_at_the_limit_for_one_analysis_only_and_other_addresses_still_count()
    {
        var filter = new RepeatFilter(_time);
        Flood(filter, Code, Reader, 1000, TimeSpan.Zero);

        Assert.Equal(OpenOutcome.Counted, filter.Admit(OtherCode, Reader, Safari));
        Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, IPAddress.Parse("198.51.100.23"), Safari));
        Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, IPAddress.Parse("198.51.100.24"), Safari));
    }

    [Fact]
    public void Readers_behind_one_address_with_different_browsers_count_up_to_the_limit()
    {
        var filter = new RepeatFilter(_time);
        string[] browsers = [Safari, "Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile", "Mozilla/5.0 (Windows NT 10.0; rv:127.0) Firefox/127.0"];

        Assert.All(browsers, browser => Assert.Equal(OpenOutcome.Counted, filter.Admit(Code, Reader, browser)));
        Assert.All(browsers, browser => Assert.Equal(OpenOutcome.Repeat, filter.Admit(Code, Reader, browser)));
    }

    [Theory]
    [InlineData("2001:db8:1:2::7", "2001:db8:1:2:a0b1:c2d3:e4f5:1234", true)]
    [InlineData("2001:db8:1:2::7", "2001:db8:1:3::7", false)]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7", true)]
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    public void Addresses_in_one_IPv6_64_or_an_IPv4_address_written_as_IPv6_are_one_address(string first, string second, bool same)
    {
        var filter = new RepeatFilter(_time);
        Flood(filter, Code, IPAddress.Parse(first), RepeatFilter.PerAddressLimit, TimeSpan.Zero);

        var outcome = filter.Admit(Code, IPAddress.Parse(second), "Mozilla/5.0 Another/1");

        Assert.Equal(same ? OpenOutcome.Limited : OpenOutcome.Counted, outcome);
    }

    [Fact]
    public void A_flood_from_random_addresses_keeps_memory_within_the_capacity_and_loses_no_first_open()
    {
        var filter = new RepeatFilter(_time, capacity: 1000);
        var random = new Random(11);

        var outcomes = Enumerable.Range(0, 10_000)
            .Select(_ => filter.Admit(Code, new IPAddress(random.NextInt64(1L << 32)), Safari))
            .ToList();

        Assert.All(outcomes, outcome => Assert.Equal(OpenOutcome.Counted, outcome));
        Assert.InRange(filter.Remembered, 1, 1000);
    }

    [Fact]
    public void Addresses_are_forgotten_an_hour_after_their_last_counted_open()
    {
        var filter = new RepeatFilter(_time);
        for (var i = 0; i < 100; i++)
        {
            filter.Admit(Code, new IPAddress(0x0A000000 + i), Safari);
        }

        _time.Advance(RepeatFilter.LimitWindow);
        filter.Admit(Code, Reader, Safari);

        Assert.Equal(1, filter.Remembered);
    }

    /// <summary>
    /// <paramref name="count"/> opens from one address, each with a new browser, <paramref name="every"/> apart.
    /// </summary>
    private List<OpenOutcome> Flood(RepeatFilter filter, string code, IPAddress address, int count, TimeSpan every, string tag = "flood")
    {
        var outcomes = new List<OpenOutcome>(count);
        for (var i = 0; i < count; i++)
        {
            outcomes.Add(filter.Admit(code, address, $"Mozilla/5.0 ({tag} {i.ToString(CultureInfo.InvariantCulture)}) Chrome/126.0"));
            _time.Advance(every);
        }

        return outcomes;
    }
}
