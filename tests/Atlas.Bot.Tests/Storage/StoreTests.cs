using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

public abstract class StoreTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Migrating_again_changes_nothing()
    {
        await Store.MigrateAsync(CancellationToken.None);

        Assert.Equal((long)Migrations.Steps.Count, await Database.CountAsync("SELECT MAX(version) FROM schema_version"));
        Assert.Equal((long)Migrations.Steps.Count, await Database.CountAsync("SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task Many_writers_at_once_all_land_and_each_hands_the_write_turn_on()
    {
        // A fan-out finishes hundreds of sends at once; each writes. They queue for the one write turn, and a turn
        // that were not handed on when its connection closed would leave the others waiting here for ever.
        var writers = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            await Store.SetStateAsync($"key-{i % 50}", $"value-{i}", CancellationToken.None);
            await Store.RecordItemAsync(Item($"item-{i}"), SamplePost($"Post {i}"), ["@one"], Now, CancellationToken.None);
        }));

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(200, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'"));
        Assert.Equal(50, await Database.CountAsync("SELECT COUNT(*) FROM bot_state WHERE key LIKE 'key-%'"));
    }

    [Fact]
    public async Task Recording_an_item_writes_one_pending_delivery_per_channel()
    {
        Assert.True(await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@one", "@two"], Now, CancellationToken.None));

        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'"));
    }

    [Fact]
    public async Task An_item_seen_before_is_not_distributed_again()
    {
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@one"], Now, CancellationToken.None);

        Assert.False(await Store.RecordItemAsync(Item("a"), SamplePost("A again"), ["@one"], Now, CancellationToken.None));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM deliveries"));
        Assert.Equal(["a"], await Store.KnownItemKeysAsync("feed", ["a", "b"], CancellationToken.None));
    }

    [Fact]
    public async Task Items_recorded_as_history_are_known_but_have_no_deliveries()
    {
        await Store.RecordSeenItemsAsync([Item("old-1"), Item("old-2")], Now, CancellationToken.None);

        Assert.Equal(2, (await Store.KnownItemKeysAsync("feed", ["old-1", "old-2", "new"], CancellationToken.None)).Count);
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM deliveries"));
    }

    [Fact]
    public async Task A_claim_takes_the_oldest_delivery_of_each_chat_only()
    {
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@one", "@two"], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("b"), SamplePost("B"), ["@one", "@two"], Now, CancellationToken.None);

        var claimed = await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None);

        Assert.Equal([("@one", "A"), ("@two", "A")], claimed.Select(d => (d.Chat, d.Post.TextHtml)).OrderBy(x => x.Chat));
    }

    [Fact]
    public async Task A_chat_waits_while_its_oldest_delivery_is_leased()
    {
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@one"], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("b"), SamplePost("B"), ["@one"], Now, CancellationToken.None);
        await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None);

        Assert.Empty(await Store.ClaimDueAsync(Now.AddSeconds(1), 10, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task A_lease_that_runs_out_hands_the_delivery_back_as_after_a_crash()
    {
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@one"], Now, CancellationToken.None);
        var first = await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None);

        var again = await Store.ClaimDueAsync(Now + Lease, 10, Lease, CancellationToken.None);

        Assert.Equal(first.Single().Id, again.Single().Id);
    }

    [Fact]
    public async Task A_sent_delivery_is_never_claimed_again_and_the_next_one_follows()
    {
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@one"], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("b"), SamplePost("B"), ["@one"], Now, CancellationToken.None);
        var first = (await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None)).Single();

        await Store.MarkSentAsync(first.Id, 42, null, Now, CancellationToken.None);
        var next = await Store.ClaimDueAsync(Now + Lease, 10, Lease, CancellationToken.None);

        Assert.Equal("B", next.Single().Post.TextHtml);
        Assert.Equal(42, await Database.CountAsync($"SELECT message_id FROM deliveries WHERE id = {first.Id}"));
    }

    [Fact]
    public async Task A_rescheduled_delivery_waits_until_its_time()
    {
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@one"], Now, CancellationToken.None);
        var claimed = (await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None)).Single();

        await Store.RescheduleAsync(claimed.Id, Now.AddSeconds(30), countAttempt: false, "429", CancellationToken.None);

        Assert.Equal(Now.AddSeconds(30), await Store.NextDueAsync(CancellationToken.None));
        Assert.Empty(await Store.ClaimDueAsync(Now.AddSeconds(29), 10, Lease, CancellationToken.None));
        Assert.Single(await Store.ClaimDueAsync(Now.AddSeconds(30), 10, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task A_blocked_chat_parks_its_deliveries_and_a_restart_queues_them_again()
    {
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["@gone", "@fine"], Now, CancellationToken.None);

        Assert.Equal(1, await Store.BlockChatAsync("@gone", "Forbidden: bot was kicked", Now, CancellationToken.None));
        await Store.RecordItemAsync(Item("b"), SamplePost("B"), ["@gone", "@fine"], Now, CancellationToken.None);

        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE chat = '@gone' AND state = 'parked'"));
        Assert.Equal("@fine", (await Store.ClaimDueAsync(Now, 10, Lease, CancellationToken.None)).Single().Chat);
        Assert.Equal(2, await Store.UnblockChatsAsync(["@gone"], CancellationToken.None));
        Assert.Empty(await Store.BlockedChatsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_migrated_group_takes_its_pending_and_future_deliveries_to_the_new_id()
    {
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["-100"], Now, CancellationToken.None);

        await Store.MigrateChatAsync("-100", "-1001234", Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("b"), SamplePost("B"), ["-100"], Now, CancellationToken.None);

        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE chat = '-1001234'"));
    }

    [Fact]
    public async Task Poll_failures_count_up_and_a_success_resets_them()
    {
        await Store.RecordPollFailureAsync("feed", "HTTP 500", Now, n => Now.AddMinutes(n), CancellationToken.None);
        Assert.Equal(2, await Store.RecordPollFailureAsync("feed", "HTTP 500", Now, n => Now.AddMinutes(n), CancellationToken.None));
        var failing = await Store.GetFeedStateAsync("feed", CancellationToken.None);

        await Store.RecordPollSuccessAsync("feed", "\"v1\"", "Sat, 28 Nov 2026 10:00:00 GMT", Now, CancellationToken.None);
        var state = await Store.GetFeedStateAsync("feed", CancellationToken.None);

        Assert.Equal(("HTTP 500", Now.AddMinutes(2), false), (failing.LastError, failing.NextPollAfter, failing.Initialized));
        Assert.Equal((0, null, "\"v1\"", true), (state.ConsecutiveFailures, state.LastError, state.ETag, state.Initialized));
    }

    private static ItemRecord Item(string key) => SampleItem(key, Now);
}

public sealed class StoreTests_Sqlite() : StoreTests(Provider.Sqlite);

public sealed class StoreTests_Postgres() : StoreTests(Provider.Postgres);
