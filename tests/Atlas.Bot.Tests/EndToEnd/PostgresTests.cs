using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using static Atlas.Bot.Tests.EndToEnd.WordPressFeed;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>The whole host on PostgreSQL (Storage__Provider=Postgres), one process: the same posts and replies as on SQLite.</summary>
public sealed class PostgresTests : HostTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private string _database = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _database = await PostgresServer.CreateDatabaseAsync();
    }

    [Fact]
    public async Task New_analyses_reach_every_channel_once_on_postgres_and_after_a_restart_only_the_newer_one_arrives()
    {
        Feeds.Publish("/en.xml", Rss(new Article(1), new Article(2)));
        await using (var bot = await BotHost.StartAsync(Folder.Path, BotApi, Settings()))
        {
            var store = bot.Services.GetRequiredService<Store>();
            await Until.TrueAsync(async () => (await store.GetFeedStateAsync("en", CancellationToken.None)).Initialized, "the first poll", Patience);
            Feeds.Publish("/en.xml", Rss(new Article(1), new Article(2), new Article(3), new Article(4)));

            var all = await BotApi.WaitForMessagesAsync(4, Patience);

            Assert.Equal([3, 4], ArticlesIn("@atlas_en", all));
            Assert.Equal([3, 4], ArticlesIn("@atlas_en_mirror", all));
        }

        Feeds.Publish("/en.xml", Rss(new Article(1), new Article(2), new Article(3), new Article(4), new Article(5)));
        await using (var bot = await BotHost.StartAsync(Folder.Path, BotApi, Settings()))
        {
            await BotApi.WaitForMessagesAsync(6, Patience);
            await Task.Delay(TimeSpan.FromSeconds(3)); // a further poll: nothing more may come

            Assert.Equal(6, BotApi.Messages.Count);
            Assert.Equal([3, 4, 5], ArticlesIn("@atlas_en", BotApi.Messages));
            Assert.Equal([3, 4, 5], ArticlesIn("@atlas_en_mirror", BotApi.Messages));
        }
    }

    [Fact]
    public async Task Subscribers_who_start_the_bot_on_postgres_get_their_reply_and_then_each_new_analysis_once_after_the_channel()
    {
        Feeds.Publish("/en.xml", Rss(new Article(1)));
        await using var bot = await BotHost.StartAsync(Folder.Path, BotApi, Settings());
        var store = bot.Services.GetRequiredService<Store>();
        await Until.TrueAsync(async () => (await store.GetFeedStateAsync("en", CancellationToken.None)).Initialized, "the first poll", Patience);
        BotApi.EnqueueMessage(201, "/start", "en");
        BotApi.EnqueueMessage(202, "/start", "en");
        await BotApi.WaitForMessagesAsync(2, Patience);

        Feeds.Publish("/en.xml", Rss(new Article(1), new Article(2)));
        await BotApi.WaitForMessagesAsync(6, Patience);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var post = BotApi.Messages.Where(m => (m.Text ?? m.Caption ?? "").Contains("Analysis 2:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["201", "202", "@atlas_en", "@atlas_en_mirror"], post.Select(m => m.Chat).Order(StringComparer.Ordinal));
        var channel = post.Where(m => m.Chat.StartsWith('@')).Max(m => m.At);
        Assert.All(post.Where(m => !m.Chat.StartsWith('@')), m => Assert.True(m.At >= channel, "a subscriber got the post before the channels"));
        Assert.Equal(2, (await store.SubscriberCountsAsync(["en"], DateTimeOffset.UtcNow, CancellationToken.None)).Single().Active);
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:ConnectionString"] = _database,
        ["Feeds:0:Id"] = "en",
        ["Feeds:0:Url"] = Feeds.Url("/en.xml").ToString(),
        ["Feeds:0:Language"] = "en",
        ["Feeds:0:Schedule"] = EveryTwoSeconds,
        ["Feeds:0:Backfill"] = "0",
        ["Feeds:0:Channels:0"] = "@atlas_en",
        ["Feeds:0:Channels:1"] = "@atlas_en_mirror",
        ["Commands:PerUserSeconds"] = "0",
    };
}
