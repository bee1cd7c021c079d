using System.Globalization;
using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>
/// Topics in the store: an item's topics recorded with it (and replaced by a correction), and the fan-out, digests and
/// /latest keeping to the topics a subscriber chose, with Delivery's rules as the app applies them (<see cref="Outbox"/>).
/// </summary>
public abstract class StoreTopicDeliveryTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private Outbox Outbox => new(Store);

    [Fact]
    public async Task An_items_topics_are_recorded_with_it_as_the_feed_writes_them_each_key_once()
    {
        await Store.RecordItemAsync(Item("a", "Energy", "South  Caucasus", "ENERGY"), PostOf("A"), [], Now, CancellationToken.None);

        Assert.Equal(["energy=Energy", "south caucasus=South Caucasus"], await TopicsOfAsync("a"));
    }

    [Fact]
    public async Task Items_recorded_as_history_keep_their_topics_too()
    {
        await Store.RecordSeenItemsAsync([Item("old-1", "Energy"), Item("old-2", "Climate", "Energy")], Now, CancellationToken.None);

        Assert.Equal(["energy=Energy"], await TopicsOfAsync("old-1"));
        Assert.Equal(["climate=Climate", "energy=Energy"], await TopicsOfAsync("old-2"));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM deliveries"));
    }

    [Fact]
    public async Task An_item_with_500_topics_keeps_them_all()
    {
        var topics = Enumerable.Range(1, 500).Select(i => "Topic " + i.ToString(CultureInfo.InvariantCulture)).ToArray();

        await Store.RecordItemAsync(Item("a", topics), PostOf("A"), [], Now, CancellationToken.None);

        Assert.Equal(500, await Database.CountAsync("SELECT COUNT(*) FROM item_topics"));
    }

    [Fact]
    public async Task A_subscriber_who_chose_energy_gets_only_energy_analyses_while_one_without_a_choice_and_the_channel_get_all()
    {
        await Store.SubscribeAsync(101, "private", "Chose energy", "en", ["en"], Now, CancellationToken.None);
        await Store.SubscribeAsync(102, "private", "Chose nothing", "en", ["en"], Now, CancellationToken.None);
        await Store.SubscribeAsync(103, "private", "Chose climate and energy", "en", ["en"], Now, CancellationToken.None);
        await ChooseAsync(101, "energy");
        await ChooseAsync(103, "climate", "energy");

        await Store.RecordItemAsync(Item("energy", "Energy", "Caspian"), PostOf("E"), ["@atlas_en"], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("security", "Security"), PostOf("S"), ["@atlas_en"], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("untagged"), PostOf("U"), ["@atlas_en"], Now, CancellationToken.None);

        Assert.Equal(["101", "102", "103", "@atlas_en"], await ChatsOfAsync("energy"));
        Assert.Equal(["102", "@atlas_en"], await ChatsOfAsync("security"));
        Assert.Equal(["102", "@atlas_en"], await ChatsOfAsync("untagged"));
    }

    [Fact]
    public async Task Announcements_reach_every_subscriber_whatever_topics_they_chose()
    {
        await Store.SubscribeAsync(101, "private", null, "en", ["en"], Now, CancellationToken.None);
        await Store.SubscribeAsync(102, "private", null, "en", ["en"], Now, CancellationToken.None);
        await ChooseAsync(101, "energy");
        var draft = await Store.CreateBroadcastDraftAsync("update:9", "Conference on Friday", createdBy: 1, Now, CancellationToken.None);

        Assert.Equal(2, await Store.ConfirmBroadcastAsync(draft, confirmedBy: 1, Now, CancellationToken.None));
    }

    [Fact]
    public async Task A_digest_lists_only_the_analyses_of_the_chosen_topics()
    {
        await Store.SubscribeAsync(101, "private", null, "en", ["en"], Now, CancellationToken.None);
        await ChooseAsync(101, "energy");
        foreach (var (key, topic) in new[] { ("a", "Energy"), ("b", "Security"), ("c", "energy"), ("d", "Climate") })
        {
            await Store.RecordItemAsync(Item(key, topic), PostOf(key), [], Now, CancellationToken.None);
        }

        var head = Assert.Single(await Store.ClaimDueAsync(Now, 1, Lease, CancellationToken.None));
        var (entries, _) = await Outbox.ClaimBacklogAsync(head.Chat, Now, Lease, CancellationToken.None);

        Assert.Equal(["Title a", "Title c"], entries.Select(entry => entry.Title));
    }

    [Fact]
    public async Task The_latest_analyses_of_a_chat_that_chose_topics_are_those_carrying_one_of_them()
    {
        await ChooseAsync(101, "energy", "climate");
        await Store.RecordItemAsync(Item("a", "Energy") with { PublishedAt = Now.AddHours(1) }, PostOf("A"), [], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("b", "Security") with { PublishedAt = Now.AddHours(2) }, PostOf("B"), [], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("c", "Climate") with { PublishedAt = Now.AddHours(3) }, PostOf("C"), [], Now, CancellationToken.None);

        var chosen = await Store.LatestItemsAsync(["en"], topicsOf: 101, 5, CancellationToken.None);
        var noChoice = await Store.LatestItemsAsync(["en"], topicsOf: 102, 5, CancellationToken.None);

        Assert.Equal(["Title c", "Title a"], chosen.Select(item => item.Title));
        Assert.Equal(["Title c", "Title b", "Title a"], noChoice.Select(item => item.Title));
    }

    [Fact]
    public async Task A_correction_replaces_the_items_topics_so_a_renamed_topic_shows_its_new_name()
    {
        await Store.RecordItemAsync(Item("a", "Energy", "Oil"), PostOf("A"), [], Now, CancellationToken.None);
        var seq = await Database.CountAsync("SELECT seq FROM items WHERE item_key = 'a'");

        await Outbox.QueueCorrectionAsync(seq, Item("a", "ENERGY", "Gas"), PostOf("A, revised"), privateCopies: false, Now, CancellationToken.None);

        Assert.Equal(["energy=ENERGY", "gas=Gas"], await TopicsOfAsync("a"));
    }

    [Fact]
    public async Task A_correction_that_knows_no_topics_leaves_them_as_they_were()
    {
        await Store.RecordItemAsync(Item("a", "Energy"), PostOf("A"), [], Now, CancellationToken.None);
        var seq = await Database.CountAsync("SELECT seq FROM items WHERE item_key = 'a'");

        await Outbox.QueueCorrectionAsync(seq, Item("a") with { Topics = null }, PostOf("A, revised"), privateCopies: false, Now, CancellationToken.None);
        await Store.KeepSourceAsync(seq, "fingerprint", topics: null, CancellationToken.None);

        Assert.Equal(["energy=Energy"], await TopicsOfAsync("a"));
    }

    [Fact]
    public async Task A_topic_renamed_to_another_spelling_of_its_key_keeps_the_choice_and_a_new_name_is_a_new_key()
    {
        await Store.SubscribeAsync(101, "private", null, "en", ["en"], Now, CancellationToken.None);
        await ChooseAsync(101, "energy");

        await Store.RecordItemAsync(Item("respelled", "ENERGY "), PostOf("R"), [], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("renamed", "Energy & Climate"), PostOf("N"), [], Now, CancellationToken.None);
        await Store.RecordItemAsync(Item("both", "Energy & Climate", "Energy"), PostOf("B"), [], Now, CancellationToken.None);

        Assert.Equal(["101"], await ChatsOfAsync("respelled"));
        Assert.Empty(await ChatsOfAsync("renamed"));
        Assert.Equal(["101"], await ChatsOfAsync("both"));
    }

    [Fact]
    public async Task Keeping_a_new_source_keeps_the_new_topics_with_it()
    {
        await Store.RecordItemAsync(Item("a", "Energy"), PostOf("A"), [], Now, CancellationToken.None);
        var seq = await Database.CountAsync("SELECT seq FROM items WHERE item_key = 'a'");

        await Store.KeepSourceAsync(seq, "fingerprint", ItemTopics.Of(["Energy Policy"], "en"), CancellationToken.None);

        Assert.Equal(["energy policy=Energy Policy"], await TopicsOfAsync("a"));
    }

    private static ItemRecord Item(string key, params string[] topics) =>
        new("feed-en", key, "Title " + key, "https://atlas.az/" + key, Now, null, "en", Topics: ItemTopics.Of(topics, "en"));

    private static Post PostOf(string text) => Post.Text(text);

    private async Task ChooseAsync(long chat, params string[] keys)
    {
        foreach (var key in keys)
        {
            await Store.SetTopicAsync(chat, key, chosen: true, CancellationToken.None);
        }
    }

    private Task<List<string>> ChatsOfAsync(string key) =>
        Database.ListAsync($"SELECT d.chat FROM deliveries d JOIN items i ON i.seq = d.item_seq WHERE i.item_key = '{key}' ORDER BY d.chat");

    private Task<List<string>> TopicsOfAsync(string key) =>
        Database.ListAsync($"SELECT t.topic_key || '=' || t.topic FROM item_topics t JOIN items i ON i.seq = t.item_seq WHERE i.item_key = '{key}' ORDER BY t.topic_key");
}

public sealed class StoreTopicDeliveryTests_Sqlite() : StoreTopicDeliveryTests(Provider.Sqlite);

public sealed class StoreTopicDeliveryTests_Postgres() : StoreTopicDeliveryTests(Provider.Postgres);
