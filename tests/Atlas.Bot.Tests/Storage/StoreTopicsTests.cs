using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>The topics offered to subscribers, their choices, and the counts of /subscribers, on both providers.</summary>
public abstract class StoreTopicsTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Since = Now.AddDays(-90);

    [Fact]
    public async Task Topics_of_the_languages_since_a_time_come_most_frequent_first_each_by_its_newest_spelling()
    {
        await ItemAsync("old", "az", Now.AddDays(-91), "Tarix", "Enerji");
        await ItemAsync("a1", "az", Now.AddDays(-10), "Enerji", "neft və qaz");
        await ItemAsync("a2", "az", Now.AddDays(-5), "Enerji", "Neft  və Qaz", "Diplomatiya");
        await ItemAsync("a3", "az", Now.AddDays(-1), "ENERJİ");
        await ItemAsync("e1", "en", Now, "Energy", "Energy policy");

        var topics = await Store.TopicsSinceAsync(["az"], Since, CancellationToken.None);

        Assert.Equal(
            [new TopicCount("enerji", "ENERJİ", 3), new TopicCount("neft və qaz", "Neft və Qaz", 2), new TopicCount("diplomatiya", "Diplomatiya", 1)],
            topics);
        Assert.Equal(
            ["enerji", "neft və qaz", "diplomatiya", "energy", "energy policy"],
            (await Store.TopicsSinceAsync(["en", "az"], Since, CancellationToken.None)).Select(topic => topic.Key));
    }

    [Fact]
    public async Task Choosing_a_topic_twice_or_dropping_it_twice_changes_nothing_twice_and_clearing_drops_them_all()
    {
        await Store.SubscribeAsync(101, "private", "Aysel", "az", ["az"], Now, CancellationToken.None);
        await ItemAsync("a1", "az", Now, "Enerji");

        await Store.SetTopicAsync(101, "enerji", chosen: true, CancellationToken.None);
        await Store.SetTopicAsync(101, "enerji", chosen: true, CancellationToken.None);
        await Store.SetTopicAsync(101, "gone", chosen: true, CancellationToken.None);
        Assert.Equal([new TopicCount("enerji", "Enerji", 0), new TopicCount("gone", "gone", 0)], await Store.ChosenTopicsAsync(101, CancellationToken.None));

        await Store.SetTopicAsync(101, "gone", chosen: false, CancellationToken.None);
        await Store.SetTopicAsync(101, "gone", chosen: false, CancellationToken.None);
        Assert.Equal(["enerji"], (await Store.ChosenTopicsAsync(101, CancellationToken.None)).Select(t => t.Key));

        await Store.ClearTopicsAsync(101, CancellationToken.None);
        Assert.Empty(await Store.ChosenTopicsAsync(101, CancellationToken.None));
    }

    [Fact]
    public async Task Topic_counts_are_of_active_subscribers_most_chosen_first_and_the_rest_receive_everything()
    {
        foreach (var chat in new long[] { 101, 102, 103, 104, 105 })
        {
            await Store.SubscribeAsync(chat, "private", null, "az", ["az"], Now, CancellationToken.None);
        }

        await ItemAsync("a1", "az", Now, "Enerji", "Diplomatiya");
        await Store.SetTopicAsync(101, "enerji", true, CancellationToken.None);
        await Store.SetTopicAsync(102, "enerji", true, CancellationToken.None);
        await Store.SetTopicAsync(102, "diplomatiya", true, CancellationToken.None);
        await Store.SetTopicAsync(103, "enerji", true, CancellationToken.None);
        await Store.DeactivateAsync(103, "stopped", Now, CancellationToken.None);

        Assert.Equal(
            [new TopicSubscribers("enerji", "Enerji", 2), new TopicSubscribers("diplomatiya", "Diplomatiya", 1)],
            await Store.TopicSubscriberCountsAsync(10, CancellationToken.None));
        Assert.Single(await Store.TopicSubscriberCountsAsync(1, CancellationToken.None));
        Assert.Equal(2, await Store.EverythingSubscribersAsync(CancellationToken.None));
    }

    /// <summary>Records an item of <paramref name="language"/> seen at <paramref name="seen"/> with its topics, keyed as the feeds key them.</summary>
    private async Task ItemAsync(string key, string language, DateTimeOffset seen, params string[] topics)
    {
        var item = new ItemRecord("feed-" + language, key, "Title " + key, "https://atlas.az/" + key, seen, null, language);
        await Store.RecordItemAsync(item, Post.Text("Title " + key), [], seen, CancellationToken.None);
        await Database.AddTopicsAsync(key, [.. topics.Select(topic => (TopicKey.Of(topic, language)!, TopicKey.Shown(topic)!))]);
    }
}

public sealed class StoreTopicsTests_Sqlite() : StoreTopicsTests(Provider.Sqlite);

public sealed class StoreTopicsTests_Postgres() : StoreTopicsTests(Provider.Postgres);
