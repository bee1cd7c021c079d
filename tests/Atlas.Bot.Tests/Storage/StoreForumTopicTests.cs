using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>
/// Forum topics in the store: a delivery carries its topic and whether it is silent; a topic Telegram refused is stopped
/// apart from its group and its other topics; the names seen in the group's updates are kept for /channels.
/// </summary>
public abstract class StoreForumTopicTests(Provider provider) : DatabaseTest(provider)
{
    private const string Forum = "-1001234567890";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_topics_of_one_group_each_get_the_post_in_their_topic_one_after_the_other()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), [$"{Forum}/42", $"{Forum}/43", Forum], Now, CancellationToken.None);

        var topics = new List<int?>();
        while (await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None) is { Count: > 0 } claimed)
        {
            // One chat, one head: the group's messages go one at a time, whatever their topic.
            var delivery = Assert.Single(claimed);
            Assert.Equal(Forum, delivery.Chat);
            topics.Add(delivery.ThreadId);
            await Store.MarkSentAsync(delivery.Id, topics.Count, null, Now, CancellationToken.None);
        }

        Assert.Equal([42, 43, null], topics);
    }

    [Fact]
    public async Task A_silent_feeds_channel_posts_are_claimed_silent_and_its_subscribers_are_not()
    {
        await Store.SubscribeAsync(101, "private", "Reader", "az", ["az"], Now, CancellationToken.None);

        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az", $"{Forum}/42"], Now, CancellationToken.None, silent: true);
        await Store.RecordItemAsync(SampleItem("b", Now), SamplePost("B"), ["@atlas_en"], Now, CancellationToken.None);

        var claimed = await ClaimAllAsync();
        Assert.Equal(
            [(Forum, "A", true), ("101", "A", false), ("101", "B", false), ("@atlas_az", "A", true), ("@atlas_en", "B", false)],
            claimed.Select(delivery => (delivery.Chat, delivery.Post.TextHtml, delivery.Silent)).OrderBy(claim => claim.Chat, StringComparer.Ordinal).ThenBy(claim => claim.TextHtml, StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_stopped_topic_parks_its_own_posts_now_and_later_while_its_group_and_other_topics_go_on()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), [$"{Forum}/42", $"{Forum}/43", Forum], Now, CancellationToken.None);
        await Store.RecordItemAsync(SampleItem("b", Now), SamplePost("B"), [$"{Forum}/42", $"{Forum}/43", Forum], Now, CancellationToken.None);

        Assert.Equal(2, await Store.StopTopicAsync(Forum, 42, "Bad Request: TOPIC_CLOSED", Now, CancellationToken.None));
        await Store.RecordItemAsync(SampleItem("c", Now), SamplePost("C"), [$"{Forum}/42", $"{Forum}/43", Forum], Now, CancellationToken.None);

        Assert.Equal(3, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE thread_id = 42 AND state = 'parked'"));
        Assert.Equal([(int?)43, null, 43, null, 43, null], (await ClaimAllAsync()).Select(delivery => delivery.ThreadId));
        var stopped = Assert.Single(await Store.StoppedTopicsAsync(CancellationToken.None));
        Assert.Equal((Forum, 42, "Bad Request: TOPIC_CLOSED", Now), (stopped.Chat, stopped.ThreadId, stopped.Reason, stopped.StoppedAt));
    }

    [Fact]
    public async Task Reopening_a_topic_queues_its_parked_posts_again_and_posts_after_that_are_pending()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), [$"{Forum}/42"], Now, CancellationToken.None);
        await Store.StopTopicAsync(Forum, 42, "Bad Request: message thread not found", Now, CancellationToken.None);

        Assert.Equal(1, await Store.ReopenTopicsAsync([(Forum, 42), (Forum, 43)], CancellationToken.None));
        await Store.RecordItemAsync(SampleItem("b", Now), SamplePost("B"), [$"{Forum}/42"], Now, CancellationToken.None);

        Assert.Empty(await Store.StoppedTopicsAsync(CancellationToken.None));
        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE thread_id = 42 AND state = 'pending'"));
        Assert.Equal(0, await Store.ReopenTopicsAsync([(Forum, 42)], CancellationToken.None));
    }

    [Fact]
    public async Task A_topic_stopped_under_a_username_is_reopened_whatever_the_case_of_its_name()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@Atlas_Forum/42"], Now, CancellationToken.None);
        await Store.StopTopicAsync("@Atlas_Forum", 42, "Bad Request: TOPIC_CLOSED", Now, CancellationToken.None);

        Assert.Equal(1, await Store.ReopenTopicsAsync([("@atlas_forum", 42)], CancellationToken.None));
    }

    [Fact]
    public async Task Unblocking_a_group_at_start_leaves_a_topic_that_is_still_stopped_parked()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), [$"{Forum}/42", $"{Forum}/43"], Now, CancellationToken.None);
        await Store.BlockChatAsync(Forum, "Forbidden: bot was kicked from the supergroup chat", Now, CancellationToken.None);
        await Store.StopTopicAsync(Forum, 42, "Bad Request: message thread not found", Now, CancellationToken.None);

        Assert.Equal(1, await Store.UnblockChatsAsync([Forum], CancellationToken.None));

        Assert.Equal([43], (await ClaimAllAsync()).Select(delivery => delivery.ThreadId));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE thread_id = 42 AND state = 'parked'"));
    }

    [Fact]
    public async Task A_reopened_topic_of_a_blocked_group_stays_parked_until_the_group_is_unblocked()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), [$"{Forum}/42"], Now, CancellationToken.None);
        await Store.StopTopicAsync(Forum, 42, "Bad Request: TOPIC_CLOSED", Now, CancellationToken.None);
        await Store.BlockChatAsync(Forum, "Forbidden: bot was kicked from the supergroup chat", Now, CancellationToken.None);

        Assert.Equal(0, await Store.ReopenTopicsAsync([(Forum, 42)], CancellationToken.None));
        Assert.Equal(1, await Store.UnblockChatsAsync([Forum], CancellationToken.None));
    }

    [Fact]
    public async Task A_correction_edits_a_topics_message_in_that_topic_and_its_group()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), [$"{Forum}/42"], Now, CancellationToken.None);
        var sent = Assert.Single(await ClaimAllAsync());
        await Store.MarkSentAsync(sent.Id, 7, null, Now, CancellationToken.None);
        var seq = await Database.CountAsync("SELECT seq FROM items WHERE item_key = 'a'");

        Assert.Equal(1, await new Outbox(Store).QueueCorrectionAsync(seq, SampleItem("a", Now), SamplePost("A, revised"), privateCopies: false, Now, CancellationToken.None));

        var edit = Assert.Single(await ClaimAllAsync());
        Assert.Equal((Forum, 42, 7, "A, revised"), (edit.Chat, edit.ThreadId, edit.Edit?.MessageId, edit.Post.TextHtml));
    }

    [Fact]
    public async Task A_topics_name_is_its_latest_and_a_name_it_was_created_with_never_undoes_a_rename()
    {
        await Store.RecordForumTopicNameAsync(-1001234567890, "atlas_forum", 42, "Energy", replace: false, Now, CancellationToken.None);
        await Store.RecordForumTopicNameAsync(-1001234567890, "atlas_forum", 42, "Energy & climate", replace: true, Now, CancellationToken.None);
        await Store.RecordForumTopicNameAsync(-1001234567890, "atlas_forum", 42, "Energy", replace: false, Now, CancellationToken.None);
        await Store.RecordForumTopicNameAsync(-1001234567890, null, 43, "News", replace: false, Now, CancellationToken.None);

        Assert.Equal(
            [new ForumTopicName(-1001234567890, "atlas_forum", 42, "Energy & climate"), new ForumTopicName(-1001234567890, null, 43, "News")],
            await Store.ForumTopicNamesAsync(CancellationToken.None));
    }

    private async Task<List<ClaimedDelivery>> ClaimAllAsync()
    {
        var all = new List<ClaimedDelivery>();
        while (await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None) is { Count: > 0 } claimed)
        {
            foreach (var delivery in claimed)
            {
                all.Add(delivery);
                await Store.MarkSentAsync(delivery.Id, all.Count, null, Now, CancellationToken.None);
            }
        }

        return all;
    }
}

public sealed class StoreForumTopicTests_Sqlite() : StoreForumTopicTests(Provider.Sqlite);

public sealed class StoreForumTopicTests_Postgres() : StoreForumTopicTests(Provider.Postgres);
