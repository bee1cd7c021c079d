namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>The double's flood control counts as strictly as Telegram may: accepted messages at arrival, no slack.</summary>
public sealed class FakeFloodControlTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_31st_message_in_any_second_is_refused_until_the_first_leaves_it()
    {
        var flood = new FakeFloodControl();
        for (var i = 0; i < 30; i++)
        {
            Assert.Null(flood.TryRecord(1000 + i, isPrivate: true, Start.AddMilliseconds(10 * i)));
        }

        Assert.Equal(1, flood.TryRecord(2000, isPrivate: true, Start.AddMilliseconds(999)));
        Assert.Null(flood.TryRecord(2000, isPrivate: true, Start.AddSeconds(1)));
    }

    [Fact]
    public void A_request_handled_late_is_judged_by_when_it_arrived()
    {
        var flood = new FakeFloodControl { Limits = FakeFloodLimits.Telegram with { GlobalPerSecond = 2 } };
        Assert.Null(flood.TryRecord(1001, isPrivate: true, Start));
        Assert.Null(flood.TryRecord(1002, isPrivate: true, Start.AddSeconds(0.8)));

        // Arrived between the two but handled after both: the second it starts would hold three.
        Assert.NotNull(flood.TryRecord(1003, isPrivate: true, Start.AddSeconds(0.5)));
        Assert.Null(flood.TryRecord(1003, isPrivate: true, Start.AddSeconds(1.8)));
    }

    [Fact]
    public void A_private_chat_gets_one_message_a_second_with_no_slack_unless_asked()
    {
        var strict = new FakeFloodControl();
        var lenient = new FakeFloodControl { Limits = FakeFloodLimits.Telegram with { Slack = TimeSpan.FromMilliseconds(150) } };
        foreach (var flood in new[] { strict, lenient })
        {
            Assert.Null(flood.TryRecord(42, isPrivate: true, Start));
        }

        Assert.Equal(1, strict.TryRecord(42, isPrivate: true, Start.AddMilliseconds(900)));
        Assert.Null(lenient.TryRecord(42, isPrivate: true, Start.AddMilliseconds(900)));
    }

    [Fact]
    public void A_group_gets_20_messages_in_any_minute()
    {
        var flood = new FakeFloodControl { Limits = FakeFloodLimits.Telegram with { GroupPerMinute = 20 } };
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(flood.TryRecord(-100, isPrivate: false, Start.AddSeconds(2 * i)));
        }

        Assert.Equal(20, flood.TryRecord(-100, isPrivate: false, Start.AddSeconds(40)));
        Assert.Null(flood.TryRecord(-100, isPrivate: false, Start.AddSeconds(60)));
    }
}
