using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>The statements behind figures, retention and admin answers, on each provider: the same values from both.</summary>
public abstract class StoreFiguresTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Day = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Day.AddHours(10);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_closed_day_counts_the_deliveries_opens_and_subscribers_of_that_day()
    {
        await Store.SubscribeAsync(101, "private", null, "az", ["az"], Now, CancellationToken.None);
        await Store.SubscribeAsync(-100500, "supergroup", "Group", "az", ["az"], Now, CancellationToken.None);
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az"], Now, CancellationToken.None);
        await SendAllAsync(Now);
        var item = (await Store.FindTrackedItemByCodeOrLinkAsync("https://atlas.az/a", CancellationToken.None))!;
        await Store.RecordOpensAsync([(item.ItemSeq, Now), (item.ItemSeq, Now.AddSeconds(5)), (item.ItemSeq, Now.AddMinutes(3))], CancellationToken.None);
        await Store.RecordOpensAsync([(item.ItemSeq, Now)], CancellationToken.None);

        await Store.CloseDayAsync("2026-12-04", Day, Day.AddDays(1), Now.AddHours(15), CancellationToken.None);
        await Store.CloseDayAsync("2026-12-04", Day, Day.AddDays(1), Now.AddHours(16), CancellationToken.None);

        Assert.Equal([new DailySummary("2026-12-04", 3, 4, 2, 2, 0)], await Store.DailySummariesAsync("2026-12-01", "2026-12-31", CancellationToken.None));
        Assert.Equal(new Figures(3, 4), await Store.ClosedTotalsAsync(null, CancellationToken.None));
        Assert.Equal(new Figures(3, 4), await Store.ClosedTotalsAsync(item.ItemSeq, CancellationToken.None));
        Assert.Equal(new Figures(3, 4), await Store.FiguresBetweenAsync(Day, Day.AddDays(1), item.ItemSeq, CancellationToken.None));
        Assert.Equal(["2026-12-04 channel 1 0", "2026-12-04 group 1 0", "2026-12-04 link 0 4", "2026-12-04 private 1 0"],
            await Database.ListAsync("SELECT day || ' ' || kind || ' ' || deliveries || ' ' || opens FROM daily_counts ORDER BY kind"));
        Assert.Equal([new OpenedItem(item.ItemSeq, "Title a", "https://atlas.az/a", 4)], await Store.MostOpenedAsync(Day, Day.AddDays(1), 5, CancellationToken.None));
        Assert.Equal("2026-12-04", await Store.LastClosedDayAsync(CancellationToken.None));
        Assert.Equal(Now, await Store.FirstActivityAsync(CancellationToken.None));
        Assert.Equal((2L, 2L, 0L), await Store.SubscriberChangesAsync(Day, Day.AddDays(1), CancellationToken.None));
        Assert.Equal(2, await Store.PruneOpenCountsAsync(Day.AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task Counts_memberships_audit_and_retention_read_and_write_the_same_on_each_provider()
    {
        await Store.SubscribeAsync(101, "private", null, "az", ["az"], Now, CancellationToken.None);
        await Store.SubscribeAsync(102, "private", null, "az", ["az"], Now, CancellationToken.None);
        await Store.DeactivateAsync(102, "stopped", Now, CancellationToken.None);
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az"], Now, CancellationToken.None);
        await Store.RecordAudienceAsync("2026-12-04", "@atlas_az", 10, CancellationToken.None);
        await Store.RecordAudienceAsync("2026-12-04", "@atlas_az", 12, CancellationToken.None);
        await Store.RecordMembershipAsync(new Membership("@atlas_az", "Atlas", "channel", "administrator", true, Now), CancellationToken.None);
        await Store.RecordMembershipAsync(new Membership("@atlas_az", "Atlas AZ", "channel", "administrator", false, Now.AddMinutes(1)), CancellationToken.None);
        await Store.AuditAsync("update:1:audit", 900, "/stats", null, allowed: true, Now, CancellationToken.None);
        await Store.AuditAsync("update:1:audit", 900, "/stats", null, allowed: true, Now, CancellationToken.None);

        var counts = await Store.OperationalCountsAsync(CancellationToken.None);
        Assert.Equal((1L, 1L), (counts.ActiveSubscribers, counts.InactiveSubscribers));
        Assert.Equal(1, counts.Pending(DeliveryTargets.Subscriber)!.Count);
        Assert.Equal(12, await Database.CountAsync("SELECT members FROM audience"));
        Assert.Equal([new Membership("@atlas_az", "Atlas AZ", "channel", "administrator", false, Now.AddMinutes(1))], await Store.MembershipsAsync(CancellationToken.None));
        Assert.True(await Store.PingAsync(CancellationToken.None));
        Assert.True(await Store.ExistsAsync(CancellationToken.None));

        var channel = (await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None)).Single(delivery => delivery.Target == DeliveryTargets.Channel);
        await Store.FallBackAsync(channel.Id, PostForm.Plain, "can't parse entities", Now, CancellationToken.None);
        await SendAllAsync(Now);

        Assert.Equal(2, await Store.PruneDeliveriesAsync(Now.AddDays(1), Now.AddDays(1), CancellationToken.None));
        Assert.Equal(1, await Store.PruneAuditAsync(Now.AddDays(1), CancellationToken.None));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM deliveries"));
    }

    [Fact]
    public async Task A_subscribers_backlog_is_claimed_whole_and_marked_sent_by_one_message()
    {
        await Store.SubscribeAsync(101, "private", null, "ru", ["az"], Now, CancellationToken.None);
        foreach (var key in new[] { "a", "b", "c" })
        {
            await Store.RecordItemAsync(SampleItem(key, Now), SamplePost(key), [], Now, CancellationToken.None);
        }

        var head = Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        Assert.Equal(3, head.Backlog);
        var (entries, language) = await Store.ClaimSubscriberBacklogAsync("101", DeliveryTargets.Subscriber, Now, Lease, CancellationToken.None);
        await Store.MarkManySentAsync([.. entries.Select(entry => entry.DeliveryId)], 77, Now, CancellationToken.None);

        Assert.Equal(["Title a", "Title b", "Title c"], entries.Select(entry => entry.Title));
        Assert.Equal("ru", language);
        Assert.Equal(3, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'sent' AND message_id = 77"));
    }

    private async Task SendAllAsync(DateTimeOffset at)
    {
        var messageId = 1;
        while (await Store.ClaimDueAsync(at, 10, Lease, CancellationToken.None) is { Count: > 0 } claimed)
        {
            foreach (var delivery in claimed)
            {
                await Store.MarkSentAsync(delivery.Id, messageId++, null, at, CancellationToken.None);
            }
        }
    }
}

public sealed class StoreFiguresTests_Sqlite() : StoreFiguresTests(Provider.Sqlite);

public sealed class StoreFiguresTests_Postgres() : StoreFiguresTests(Provider.Postgres);
