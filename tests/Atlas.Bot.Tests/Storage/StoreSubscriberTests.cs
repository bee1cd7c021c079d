using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>Subscribers, replies, announcements and the inbox, on a real SQLite file.</summary>
public abstract class StoreSubscriberTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_new_analysis_reaches_every_active_subscriber_of_its_language_after_the_channels()
    {
        await Store.SubscribeAsync(101, "private", "Aysel", "az", ["az"], Now, CancellationToken.None);
        await Store.SubscribeAsync(102, "private", "Ivan", "ru", ["ru", "az"], Now, CancellationToken.None);
        await Store.SubscribeAsync(103, "private", "John", "en", ["en"], Now, CancellationToken.None);
        await Store.SubscribeAsync(104, "private", "Gone", "az", ["az"], Now, CancellationToken.None);
        await Store.DeactivateAsync(104, "stopped", Now, CancellationToken.None);

        await Store.RecordItemAsync(Item("a", "az"), PostOf("A"), ["@atlas_az"], Now, CancellationToken.None);
        var channel = await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None);
        await Store.MarkSentAsync(channel.Single().Id, 1, null, Now, CancellationToken.None);
        var subscribers = await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None);

        Assert.Equal("@atlas_az", channel.Single().Chat);
        Assert.Equal(["101", "102"], subscribers.Select(d => d.Chat));
        Assert.All(subscribers, d => Assert.Equal(DeliveryTargets.Subscriber, d.Target));
    }

    [Fact]
    public async Task A_start_after_a_stop_reactivates_and_keeps_the_chosen_languages()
    {
        Assert.Equal(SubscribeOutcome.New, await Store.SubscribeAsync(101, "private", "Aysel", "az", ["az"], Now, CancellationToken.None));
        await Store.SetLanguagesAsync(101, ["az", "en"], CancellationToken.None);
        await Store.DeactivateAsync(101, "stopped", Now, CancellationToken.None);

        var outcome = await Store.SubscribeAsync(101, "private", "Aysel", "az", ["az"], Now.AddDays(1), CancellationToken.None);
        var subscriber = await Store.GetSubscriberAsync(101, CancellationToken.None);

        Assert.Equal(SubscribeOutcome.Reactivated, outcome);
        Assert.Equal((true, null, Now), (subscriber!.Active, subscriber.LeftReason, subscriber.JoinedAt));
        Assert.Equal(["az", "en"], subscriber.Languages);
        Assert.Equal(SubscribeOutcome.AlreadyActive, await Store.SubscribeAsync(101, "private", "Aysel", "az", ["az"], Now, CancellationToken.None));
    }

    [Fact]
    public async Task A_subscriber_who_blocks_the_bot_loses_their_pending_posts_which_are_counted()
    {
        await Store.SubscribeAsync(101, "private", "Aysel", "az", ["az"], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("a", "az"), PostOf("A"), [], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("b", "az"), PostOf("B"), [], Now, CancellationToken.None);

        Assert.Equal(2, await Store.DeactivateAsync(101, "blocked", Now, CancellationToken.None));
        Assert.Null(await Store.DeactivateAsync(101, "blocked", Now, CancellationToken.None));
        Assert.Equal(2, await Database.CountAsync("SELECT dropped FROM subscribers WHERE chat_id = 101"));
        Assert.Empty(await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Replies_go_ahead_of_posts_and_alone_while_sending_is_paused()
    {
        await Store.RecordItemAsync(Item("a", "az"), PostOf("A"), ["@atlas_az"], Now, CancellationToken.None);
        await Store.EnqueueReplyAsync("update:7:0", "42", PostOf("Hello"), Now, CancellationToken.None);

        var paused = await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None, paused: true);
        var all = await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None);

        Assert.Equal(["Hello"], paused.Select(d => d.Post.TextHtml));
        Assert.Equal(["A"], all.Select(d => d.Post.TextHtml));
    }

    [Fact]
    public async Task A_reply_queued_twice_for_the_same_update_is_queued_once()
    {
        Assert.True(await Store.EnqueueReplyAsync("update:7:0", "42", PostOf("Hello"), Now, CancellationToken.None));
        Assert.False(await Store.EnqueueReplyAsync("update:7:0", "42", PostOf("Hello"), Now, CancellationToken.None));

        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM deliveries"));
    }

    [Fact]
    public async Task An_announcement_goes_to_every_active_subscriber_once_and_only_when_its_author_confirms()
    {
        await Store.SubscribeAsync(101, "private", null, "az", ["az"], Now, CancellationToken.None);
        await Store.SubscribeAsync(-100500, "supergroup", "Analysts", "ru", ["ru"], Now, CancellationToken.None);
        var draft = await Store.CreateBroadcastDraftAsync("update:9", "Conference on Friday", createdBy: 1, Now, CancellationToken.None);

        Assert.Equal(draft, await Store.CreateBroadcastDraftAsync("update:9", "Conference on Friday", createdBy: 1, Now, CancellationToken.None));
        Assert.Null(await Store.ConfirmBroadcastAsync(draft, confirmedBy: 2, Now, CancellationToken.None));
        Assert.Equal(2, await Store.ConfirmBroadcastAsync(draft, confirmedBy: 1, Now, CancellationToken.None));
        Assert.Null(await Store.ConfirmBroadcastAsync(draft, confirmedBy: 1, Now, CancellationToken.None));
    }

    [Fact]
    public async Task Updates_and_the_next_offset_are_stored_together_and_a_repeated_update_is_ignored()
    {
        await Store.AddToInboxAsync([new InboxUpdate(5, "{\"update_id\":5}"), new InboxUpdate(6, "{\"update_id\":6}")], nextOffset: 7, Now, CancellationToken.None);
        await Store.AddToInboxAsync([new InboxUpdate(6, "{\"update_id\":6,\"again\":true}")], nextOffset: null, Now, CancellationToken.None);
        await Store.MarkHandledAsync(5, error: null, Now, CancellationToken.None);

        Assert.Equal(7, await Store.UpdateOffsetAsync(CancellationToken.None));
        Assert.Equal([new InboxUpdate(6, "{\"update_id\":6}")], await Store.UnhandledUpdatesAsync(10, CancellationToken.None));
        Assert.Equal(1, await Store.PruneInboxAsync(Now.AddSeconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task Pruning_an_update_prunes_the_state_kept_for_it_and_nothing_else()
    {
        await Store.AddToInboxAsync([new InboxUpdate(5, "{\"update_id\":5}"), new InboxUpdate(6, "{\"update_id\":6}")], nextOffset: 7, Now, CancellationToken.None);
        await Store.MarkHandledAsync(5, error: null, Now, CancellationToken.None);
        await Store.SetStateAsync(Store.UpdateStateKey(5, "chart"), "sent", CancellationToken.None);
        await Store.SetStateAsync(Store.UpdateStateKey(6, "chart"), "sent", CancellationToken.None);

        Assert.Equal(1, await Store.PruneInboxAsync(Now.AddSeconds(1), CancellationToken.None));

        Assert.Null(await Store.GetStateAsync(Store.UpdateStateKey(5, "chart"), CancellationToken.None));
        Assert.Equal("sent", await Store.GetStateAsync(Store.UpdateStateKey(6, "chart"), CancellationToken.None));
        Assert.Equal(7, await Store.UpdateOffsetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Subscribers_are_counted_by_language_with_those_new_in_the_last_day()
    {
        await Store.SubscribeAsync(101, "private", null, "az", ["az"], Now.AddDays(-3), CancellationToken.None);
        await Store.SubscribeAsync(102, "private", null, "az", ["az", "ru"], Now.AddHours(-1), CancellationToken.None);
        await Store.SubscribeAsync(103, "private", null, "az", ["az"], Now.AddDays(-3), CancellationToken.None);
        await Store.DeactivateAsync(103, "stopped", Now, CancellationToken.None);

        var counts = await Store.SubscriberCountsAsync(["az", "en", "ru"], Now, CancellationToken.None);

        Assert.Equal([new("az", 2, 1, 1), new("en", 0, 0, 0), new SubscriberCounts("ru", 1, 0, 1)], counts);
    }

    [Fact]
    public async Task A_delivery_that_gave_up_can_be_queued_again()
    {
        await Store.RecordItemAsync(Item("a", "az"), PostOf("A"), ["@atlas_az"], Now, CancellationToken.None);
        var claimed = (await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None)).Single();
        await Store.GiveUpAsync(claimed.Id, "Bad Request: message thread not found", CancellationToken.None);

        var failed = Assert.Single(await Store.FailedDeliveriesAsync(20, CancellationToken.None));
        Assert.True(await Store.RetryDeliveryAsync(failed.Id, Now, CancellationToken.None));
        Assert.False(await Store.RetryDeliveryAsync(failed.Id, Now, CancellationToken.None));
        Assert.Single(await Store.ClaimDueAsync(Now.AddSeconds(1), 10, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task The_latest_analyses_are_those_of_the_subscribers_languages_newest_first()
    {
        await Store.RecordItemAsync(Item("a", "az", hour: 1), PostOf("A"), [], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("b", "ru", hour: 2), PostOf("B"), [], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("c", "az", hour: 3), PostOf("C"), [], Now, CancellationToken.None);

        var latest = await Store.LatestItemsAsync(["az"], 5, CancellationToken.None);

        Assert.Equal(["Title c", "Title a"], latest.Select(item => item.Title));
    }

    private static ItemRecord Item(string key, string language, int hour = 0) =>
        new("feed-" + language, key, "Title " + key, "https://atlas.az/" + key, Now.AddHours(hour), null, language);

    private static Post PostOf(string text) => Post.Text(text);
}

public sealed class StoreSubscriberTests_Sqlite() : StoreSubscriberTests(Provider.Sqlite);

public sealed class StoreSubscriberTests_Postgres() : StoreSubscriberTests(Provider.Postgres);
