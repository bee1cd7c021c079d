using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>What the store finds and changes when an analysis is taken down (/unpost), through the outbox as the command calls it.</summary>
public abstract class StoreTakedownTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private const long Reader = 3001;
    private const long DigestGroup = -100500;
    private const long Group = -100600;

    private Outbox Outbox => new(Store);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_posts_to_delete_are_in_channels_and_groups_never_a_private_copy_or_a_digest_and_an_edit_is_the_same_post(bool digestFlagged)
    {
        await SubscribeAsync(Reader, DigestGroup, Group);
        await Store.RecordMembershipAsync(new Membership(Chat(Group), "Analysts", "supergroup", "member", CanPost: true, Now), CancellationToken.None);
        var a = await RecordAsync("a", ["@channel"]);
        var b = await RecordAsync("b", []);
        await SentAsync(a, "@channel", 5, Now);
        await SentAsync(a, Chat(Reader), 9, Now);
        await SentAsync(a, Chat(Group), 11, Now);
        // One digest listing both analyses in one message: neither is deleted for the other's sake.
        var digest = new[] { await DeliveryAsync(a, Chat(DigestGroup)), await DeliveryAsync(b, Chat(DigestGroup)) };
        await Store.MarkManySentAsync(digest, 21, Now.AddMinutes(1), CancellationToken.None);
        if (!digestFlagged)
        {
            // Sent before digests were flagged (migration 11): known by the other item in the same message.
            await Database.CountAsync($"UPDATE deliveries SET digest = NULL WHERE id IN ({digest[0]}, {digest[1]}) RETURNING 0");
        }

        // A correction sent later edits the channel's message: a row of the same item with the same message.
        await Database.CountAsync(
            $"INSERT INTO deliveries (item_seq, chat, target, priority, state, not_before, created_at, message_id, sent_at, edit_of) "
            + $"VALUES ({a}, '@channel', '{DeliveryTargets.Channel}', 1, 'sent', 0, 0, 5, {Now.AddHours(1).ToUnixTimeMilliseconds()}, {await DeliveryAsync(a, "@channel")}) RETURNING 0");

        var copies = await Outbox.PostsToDeleteAsync(a, CancellationToken.None);

        Assert.Equal([new PostedMessage("@channel", 5, null), new PostedMessage(Chat(Group), 11, "Analysts")], copies.Posts);
        Assert.Equal(2, copies.KeptChats);
        Assert.Empty((await Outbox.PostsToDeleteAsync(b, CancellationToken.None)).Posts);
    }

    [Fact]
    public async Task A_post_recorded_as_deleted_is_not_listed_again_with_its_edits_and_other_posts_stay_listed()
    {
        await SubscribeAsync(Group);
        var a = await RecordAsync("a", ["@channel"]);
        await SentAsync(a, "@channel", 5, Now);
        await SentAsync(a, Chat(Group), 11, Now);

        await Store.MarkMessageDeletedAsync(a, "@channel", 5, Now.AddDays(1), CancellationToken.None);

        Assert.Equal([new PostedMessage(Chat(Group), 11, null)], (await Outbox.PostsToDeleteAsync(a, CancellationToken.None)).Posts);
        Assert.Equal(Now.AddDays(1).ToUnixTimeMilliseconds(), await Database.CountAsync($"SELECT deleted_at FROM deliveries WHERE chat = '@channel'"));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'sent' AND deleted_at IS NOT NULL"));
    }

    [Fact]
    public async Task Cancelling_drops_every_waiting_delivery_of_the_item_counts_those_on_the_wire_and_leaves_other_items_alone()
    {
        await SubscribeAsync(Reader, Group);
        await Store.BlockChatAsync("@parked", "not enough rights", Now, CancellationToken.None);
        var a = await RecordAsync("a", ["@channel", "@parked"]);
        var b = await RecordAsync("b", []);
        var claimed = Assert.Single(await Outbox.ClaimDueAsync(Now, 1, TimeSpan.FromMinutes(1), paused: false, CancellationToken.None));
        Assert.Equal("@channel", claimed.Chat);

        var first = await Outbox.CancelItemAsync(a, Now, CancellationToken.None);
        var again = await Outbox.CancelItemAsync(a, Now, CancellationToken.None);

        Assert.Equal(new CancelledDeliveries(Cancelled: 4, InFlight: 1), first);
        Assert.Equal(new CancelledDeliveries(0, 0), again);
        Assert.Equal(4, await Database.CountAsync(
            $"SELECT COUNT(*) FROM deliveries WHERE item_seq = {a} AND state = 'dropped' AND last_error = 'taken down' AND lease_until IS NULL"));
        Assert.Equal(2, await Database.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE item_seq = {b} AND state = 'pending'"));
        var later = await Outbox.ClaimDueAsync(Now.AddHours(1), 10, TimeSpan.FromMinutes(1), paused: false, CancellationToken.None);
        Assert.Equal(["Title b", "Title b"], later.Select(delivery => delivery.Title));
    }

    private async Task SubscribeAsync(params long[] chats)
    {
        foreach (var chat in chats)
        {
            await Store.SubscribeAsync(chat, chat > 0 ? "private" : "supergroup", null, "az", ["az"], Now, CancellationToken.None);
        }
    }

    private async Task<long> RecordAsync(string key, IReadOnlyList<string> channels)
    {
        Assert.True(await Store.RecordItemAsync(SampleItem(key, Now), SamplePost(key), channels, Now, CancellationToken.None));
        return (await Store.FindTrackedItemByCodeOrLinkAsync("https://atlas.az/" + key, CancellationToken.None))!.ItemSeq;
    }

    private Task<long> DeliveryAsync(long item, string chat) =>
        Database.CountAsync($"SELECT MIN(id) FROM deliveries WHERE item_seq = {item} AND chat = '{chat}'");

    private async Task SentAsync(long item, string chat, int messageId, DateTimeOffset at) =>
        await Store.MarkSentAsync(await DeliveryAsync(item, chat), messageId, shownPhoto: null, at, CancellationToken.None);

    private static string Chat(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class StoreTakedownTests_Sqlite() : StoreTakedownTests(Provider.Sqlite);

public sealed class StoreTakedownTests_Postgres() : StoreTakedownTests(Provider.Postgres);
