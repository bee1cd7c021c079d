using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>Quiet hours as stored: per subscriber, kept over /stop and /start, and read with each claim of their posts.</summary>
public abstract class StoreQuietHoursTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Quiet_hours_are_set_changed_and_cleared_per_subscriber()
    {
        await Store.SubscribeAsync(101, "private", null, "en", ["en"], Now, CancellationToken.None);
        await Store.SubscribeAsync(102, "private", null, "en", ["en"], Now, CancellationToken.None);
        Assert.Null(await Store.QuietHoursAsync(101, CancellationToken.None));

        await Store.SetQuietHoursAsync(101, new QuietSpan(22, 7), CancellationToken.None);
        await Store.SetQuietHoursAsync(102, new QuietSpan(0, 9), CancellationToken.None);
        await Store.SetQuietHoursAsync(102, new QuietSpan(23, 8), CancellationToken.None);
        Assert.Equal(new QuietSpan(22, 7), await Store.QuietHoursAsync(101, CancellationToken.None));
        Assert.Equal(new QuietSpan(23, 8), await Store.QuietHoursAsync(102, CancellationToken.None));

        await Store.SetQuietHoursAsync(101, null, CancellationToken.None);
        Assert.Null(await Store.QuietHoursAsync(101, CancellationToken.None));
        Assert.Equal(new QuietSpan(23, 8), await Store.QuietHoursAsync(102, CancellationToken.None));
    }

    [Fact]
    public async Task A_stop_and_a_new_start_keep_the_quiet_hours()
    {
        await Store.SubscribeAsync(101, "private", null, "en", ["en"], Now, CancellationToken.None);
        await Store.SetQuietHoursAsync(101, new QuietSpan(23, 8), CancellationToken.None);

        await Store.DeactivateAsync(101, "stopped", Now, CancellationToken.None);
        Assert.Equal(new QuietSpan(23, 8), await Store.QuietHoursAsync(101, CancellationToken.None));
        await Store.SubscribeAsync(101, "private", null, "en", ["en"], Now.AddDays(1), CancellationToken.None);

        Assert.Equal(new QuietSpan(23, 8), await Store.QuietHoursAsync(101, CancellationToken.None));
    }

    [Fact]
    public async Task Only_active_subscribers_with_quiet_hours_are_counted()
    {
        await Database.SubscribeManyAsync(101, 4, "en");
        await Store.SetQuietHoursAsync(101, new QuietSpan(22, 7), CancellationToken.None);
        await Store.SetQuietHoursAsync(102, new QuietSpan(0, 9), CancellationToken.None);
        await Store.SetQuietHoursAsync(103, new QuietSpan(23, 8), CancellationToken.None);
        await Store.DeactivateAsync(103, "stopped", Now, CancellationToken.None);

        Assert.Equal(2, await Store.QuietSubscribersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_subscribers_post_is_claimed_with_their_quiet_hours_and_nothing_else_is()
    {
        await Store.SubscribeAsync(101, "private", null, "en", ["en"], Now, CancellationToken.None);
        await Store.SubscribeAsync(102, "private", null, "en", ["en"], Now, CancellationToken.None);
        await Store.SetQuietHoursAsync(101, new QuietSpan(22, 7), CancellationToken.None);
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@atlas_en", "-1001234"], Now, CancellationToken.None);
        await Store.EnqueueReplyAsync("update:1:0", "101", SamplePost("Reply"), Now, CancellationToken.None);

        var claimed = await ClaimEverythingAsync();

        Assert.Equal(
            [("101", DeliveryTargets.Reply, null), ("@atlas_en", DeliveryTargets.Channel, null), ("-1001234", DeliveryTargets.Channel, null),
             ("101", DeliveryTargets.Subscriber, new QuietSpan(22, 7)), ("102", DeliveryTargets.Subscriber, (QuietSpan?)null)],
            claimed.Select(d => (d.Chat, d.Target, d.Quiet)));
    }

    [Fact]
    public async Task Quiet_hours_set_after_a_post_was_queued_come_with_its_claim()
    {
        // The dispatcher judges a post when it goes, not when it was queued: the claim reads the hours as they are now.
        await Store.SubscribeAsync(101, "private", null, "en", ["en"], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), [], Now, CancellationToken.None);

        await Store.SetQuietHoursAsync(101, new QuietSpan(0, 9), CancellationToken.None);

        Assert.Equal(new QuietSpan(0, 9), Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None)).Quiet);
    }

    [Fact]
    public async Task An_announcement_to_a_quiet_subscriber_is_claimed_with_their_quiet_hours()
    {
        await Store.SubscribeAsync(101, "private", null, "en", ["en"], Now, CancellationToken.None);
        await Store.SetQuietHoursAsync(101, new QuietSpan(23, 8), CancellationToken.None);
        var seq = await Store.CreateBroadcastDraftAsync("broadcast:1", "Conference on Friday", 1001, Now, CancellationToken.None);

        await Store.ConfirmBroadcastAsync(seq, 1001, Now, CancellationToken.None);

        var announcement = Assert.Single(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        Assert.Equal(("101", DeliveryTargets.Subscriber, new QuietSpan(23, 8)), (announcement.Chat, announcement.Target, announcement.Quiet));
    }

    [Fact]
    public async Task A_group_that_becomes_a_supergroup_keeps_its_quiet_hours()
    {
        await Store.SubscribeAsync(-500, "group", "Analysts", "en", ["en"], Now, CancellationToken.None);
        await Store.SetQuietHoursAsync(-500, new QuietSpan(22, 7), CancellationToken.None);

        await Store.MigrateChatAsync("-500", "-1009000", Now, CancellationToken.None);

        Assert.Equal(new QuietSpan(22, 7), await Store.QuietHoursAsync(-1009000, CancellationToken.None));
    }

    private async Task<List<ClaimedDelivery>> ClaimEverythingAsync()
    {
        var claimed = new List<ClaimedDelivery>();
        while (await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None) is { Count: > 0 } batch)
        {
            foreach (var delivery in batch)
            {
                claimed.Add(delivery);
                await Store.MarkSentAsync(delivery.Id, claimed.Count, null, Now, CancellationToken.None);
            }
        }

        return claimed;
    }

    private static ItemRecord Item(string key) => new("en", key, "Title " + key, "https://atlas.az/" + key, Now, null, "en");
}

public sealed class StoreQuietHoursTests_Sqlite() : StoreQuietHoursTests(Provider.Sqlite);

public sealed class StoreQuietHoursTests_Postgres() : StoreQuietHoursTests(Provider.Postgres);

/// <summary>copy-store: a subscriber's quiet hours move to PostgreSQL with them.</summary>
public sealed class StoreQuietHoursCopyTests : DatabaseTest
{
    [Fact]
    public async Task Copy_store_moves_quiet_hours_to_postgres()
    {
        await using var target = await TempDatabase.CreateAsync(Provider.Postgres);
        var now = DateTimeOffset.UtcNow;
        await Store.SubscribeAsync(101, "private", null, "en", ["en"], now, CancellationToken.None);
        await Store.SubscribeAsync(102, "private", null, "en", ["en"], now, CancellationToken.None);
        await Store.SetQuietHoursAsync(101, new QuietSpan(23, 8), CancellationToken.None);

        await Store.CopyToAsync(target.Store, _ => { }, CancellationToken.None);

        Assert.Equal(
            (new QuietSpan(23, 8), (QuietSpan?)null, 1L),
            (await target.Store.QuietHoursAsync(101, CancellationToken.None), await target.Store.QuietHoursAsync(102, CancellationToken.None),
             await target.Store.QuietSubscribersAsync(CancellationToken.None)));
    }
}
