using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Storage;

/// <summary>
/// A running SQLite deployment's data copied into a fresh PostgreSQL database: what /stats shows is the same on both,
/// what waited to be sent is sent once (from PostgreSQL), and copying again changes nothing.
/// </summary>
public sealed class StoreCopyTests : DatabaseTest
{
    private static readonly DateTimeOffset Day = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Day.AddHours(10);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    /// <summary>Every table copied, for the row counts compared between runs.</summary>
    private static readonly string[] Tables =
    [
        "feeds", "items", "item_topics", "links", "chats", "memberships", "forum_topic_stops", "forum_topic_names", "subscribers", "subscriber_topics", "subscriber_events", "messages", "deliveries",
        "daily_counts", "daily_summary", "open_counts", "audience", "audit", "bot_state", "inbox",
    ];

    [Fact]
    public async Task Every_figure_stats_shows_is_the_same_on_postgres_after_the_copy()
    {
        await using var target = await TempDatabase.CreateAsync(Provider.Postgres);
        var item = await PopulateAsync();

        await Store.CopyToAsync(target.Store, _ => { }, CancellationToken.None);

        var clock = new FakeTimeProvider(Now.AddHours(1));
        var days = new StatsDays(TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku"));
        var before = await new StatsReader(Store, days, clock).OverallAsync(CancellationToken.None);
        var after = await new StatsReader(target.Store, days, clock).OverallAsync(CancellationToken.None);
        Assert.Equal(before.Today, after.Today);
        Assert.Equal(before.Total, after.Total);
        Assert.Equal(before.MostOpenedToday, after.MostOpenedToday);
        Assert.Equal((before.SubscribersNow, before.JoinedToday, before.LeftToday), (after.SubscribersNow, after.JoinedToday, after.LeftToday));
        Assert.Equal(before.LastDays, after.LastDays);
        Assert.NotEqual(new Figures(0, 0), after.Total);
        Assert.Equal(
            await new StatsReader(Store, days, clock).ForItemAsync(item.Code, CancellationToken.None),
            await new StatsReader(target.Store, days, clock).ForItemAsync(item.Code, CancellationToken.None));
        Assert.Equal(
            await Store.DailySummariesAsync("2026-11-01", "2026-12-31", CancellationToken.None),
            await target.Store.DailySummariesAsync("2026-11-01", "2026-12-31", CancellationToken.None));
        var (operating, operatingAfter) = (await Store.OperationalCountsAsync(CancellationToken.None), await target.Store.OperationalCountsAsync(CancellationToken.None));
        Assert.Equal(operating.PendingByTarget, operatingAfter.PendingByTarget);
        Assert.Equal((operating.ActiveSubscribers, operating.InactiveSubscribers), (operatingAfter.ActiveSubscribers, operatingAfter.InactiveSubscribers));
    }

    [Fact]
    public async Task A_delivery_pending_at_the_switch_is_claimable_on_postgres_once_and_no_longer_on_sqlite()
    {
        await using var target = await TempDatabase.CreateAsync(Provider.Postgres);
        await PopulateAsync();
        var pending = await Database.ListAsync("SELECT id FROM deliveries WHERE state = 'pending' ORDER BY id");
        Assert.NotEmpty(pending);

        await Store.CopyToAsync(target.Store, _ => { }, CancellationToken.None);

        Assert.Empty(await Store.ClaimDueAsync(Now.AddDays(1), 100, Lease, CancellationToken.None));
        var claimed = new List<long>();
        while (await target.Store.ClaimDueAsync(Now.AddDays(1), 100, Lease, CancellationToken.None) is { Count: > 0 } batch)
        {
            foreach (var delivery in batch)
            {
                claimed.Add(delivery.Id);
                await target.Store.MarkSentAsync(delivery.Id, 900, null, Now.AddDays(1), CancellationToken.None);
            }
        }

        // Each once: the queue's order is the claim's (replies, then channels, then subscribers), not the ids'.
        Assert.Equal(pending.Select(long.Parse).Order(), claimed.Order());
        // New rows on PostgreSQL continue after the copied ids.
        Assert.True(await target.Store.RecordItemAsync(SampleItem("new", Now), SamplePost("New"), ["@atlas_az"], Now.AddDays(1), CancellationToken.None));
        Assert.Equal(
            await target.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'"),
            await target.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE id > {pending.Max(long.Parse)} AND state = 'pending'"));
        Assert.NotEqual(0, await target.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'"));
    }

    [Fact]
    public async Task Forum_topics_their_stops_and_names_and_silent_posts_move_with_the_copy()
    {
        await using var target = await TempDatabase.CreateAsync(Provider.Postgres);
        await PopulateAsync();

        await Store.CopyToAsync(target.Store, _ => { }, CancellationToken.None);

        const string InTopics = "SELECT COUNT(*) FROM deliveries WHERE thread_id IN (42, 43) AND silent = 1";
        Assert.Equal(2, await target.CountAsync(InTopics));
        Assert.Equal(await Database.CountAsync(InTopics), await target.CountAsync(InTopics));
        Assert.Equal(1, await target.CountAsync("SELECT COUNT(*) FROM deliveries WHERE thread_id = 43 AND state = 'parked'"));
        Assert.Equal(await Store.StoppedTopicsAsync(CancellationToken.None), await target.Store.StoppedTopicsAsync(CancellationToken.None));
        Assert.Equal(await Store.ForumTopicNamesAsync(CancellationToken.None), await target.Store.ForumTopicNamesAsync(CancellationToken.None));
        Assert.NotEmpty(await target.Store.ForumTopicNamesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Copying_twice_or_after_an_interrupted_copy_leaves_the_same_rows()
    {
        await using var target = await TempDatabase.CreateAsync(Provider.Postgres);
        await PopulateAsync();
        var reported = new List<CopyProgress>();

        // Interrupted once items were under way (a batch committed, the rest not).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            using var cut = new CancellationTokenSource();
            await Store.CopyToAsync(target.Store, progress =>
            {
                if (progress.Table == "links")
                {
                    cut.Cancel();
                }
            }, cut.Token);
        });
        await Store.CopyToAsync(target.Store, reported.Add, CancellationToken.None);
        var first = await CountsAsync(target);
        await Store.CopyToAsync(target.Store, _ => { }, CancellationToken.None);

        Assert.Equal(first, await CountsAsync(target));
        Assert.Equal(await CountsAsync(Database, handledInbox: false), first);
        Assert.Contains(new CopyProgress("items", 3, 3), reported);
        Assert.Equal(Tables, reported.Select(progress => progress.Table).Distinct());
    }

    /// <summary>
    /// Items and their links, channel posts and subscribers' posts (sent, pending, one claimed when the service stopped),
    /// silent posts into forum topics (one topic stopped, one named), a reply, opens, a closed day, subscribers who joined
    /// and left, audit, state and an unhandled update.
    /// </summary>
    private async Task<TrackedItem> PopulateAsync()
    {
        var yesterday = Now.AddDays(-1);
        await Database.SubscribeManyAsync(2000, 5, "az");
        await Store.SubscribeAsync(-100500, "supergroup", "Group", "az", ["az"], yesterday, CancellationToken.None);
        await Store.RecordItemAsync(SampleItem("a", yesterday), SamplePost("A"), ["@atlas_az"], yesterday, CancellationToken.None);
        await SendAllAsync(yesterday);
        var first = (await Store.FindTrackedItemByCodeOrLinkAsync("https://atlas.az/a", CancellationToken.None))!;
        await Store.RecordOpensAsync([(first.ItemSeq, yesterday), (first.ItemSeq, yesterday.AddMinutes(3))], CancellationToken.None);
        await Store.CloseDayAsync("2026-12-03", Day.AddDays(-1), Day, Now, CancellationToken.None);

        await Store.RecordItemAsync(SampleItem("b", Now) with { Topics = [new("energy", "Energy"), new("climate", "Climate")] }, SamplePost("B"), ["@atlas_az"], Now, CancellationToken.None);
        await Store.RecordItemAsync(SampleItem("c", Now), SamplePost("C"), ["@atlas_az", "-1001234567890/42", "-1001234567890/43"], Now, CancellationToken.None, silent: true);
        await Store.StopTopicAsync("-1001234567890", 43, "Bad Request: TOPIC_CLOSED", Now, CancellationToken.None);
        await Store.RecordForumTopicNameAsync(-1001234567890, "atlas_forum", 42, "Energy", replace: true, Now, CancellationToken.None);
        // Some of today's sent, one claimed and never confirmed (the service stopped mid-send), the rest waiting.
        var claimed = await Store.ClaimDueAsync(Now, 3, Lease, CancellationToken.None);
        await Store.MarkSentAsync(claimed[0].Id, 77, null, Now, CancellationToken.None);
        var second = (await Store.FindTrackedItemByCodeOrLinkAsync("https://atlas.az/b", CancellationToken.None))!;
        await Store.RecordOpensAsync([(second.ItemSeq, Now), (first.ItemSeq, Now)], CancellationToken.None);
        await Store.DeactivateAsync(2000, "stopped", Now, CancellationToken.None);
        await Store.EnqueueReplyAsync("update:1:0", "2001", SamplePost("Reply"), Now, CancellationToken.None);
        await Store.AddToInboxAsync([new InboxUpdate(1, "{\"update_id\":1}"), new InboxUpdate(2, "{\"update_id\":2}")], 3, Now, CancellationToken.None);
        await Store.MarkHandledAsync(1, null, Now, CancellationToken.None);
        await Store.AuditAsync("update:1", 1001, "stats", null, allowed: true, Now, CancellationToken.None);
        return first;
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

    private static async Task<List<long>> CountsAsync(TempDatabase database, bool handledInbox = true)
    {
        var counts = new List<long>();
        foreach (var table in Tables)
        {
            counts.Add(await database.CountAsync(table == "inbox" && !handledInbox
                ? "SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL"
                : $"SELECT COUNT(*) FROM {table}"));
        }

        return counts;
    }
}
