using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds.WebSub;
using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.EndToEnd;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Delivery;

/// <summary>One poll at a time, against the in-process feed server and a real SQLite file.</summary>
public sealed class FeedPollerTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private TempDatabase _db = null!;
    private FeedServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _db = await TempDatabase.CreateAsync();
        _server = await FeedServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task The_first_poll_records_the_feed_as_history_and_queues_only_the_newest_Backfill_items_oldest_first()
    {
        _server.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2), new Article(3), new Article(4)));

        var outcome = await Poller(backfill: 2).PollAsync("en", CancellationToken.None);

        Assert.Equal((4, 2), (outcome.NewItems, outcome.Distributed));
        Assert.Equal(4, await _db.CountAsync("SELECT COUNT(*) FROM items"));
        Assert.Equal("3,4", await QueuedArticlesAsync());
    }

    [Fact]
    public async Task Later_polls_queue_every_new_item_oldest_first_and_nothing_seen_before()
    {
        _server.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        var poller = Poller(backfill: 0);
        await poller.PollAsync("en", CancellationToken.None);

        _server.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2), new Article(3)));
        var outcome = await poller.PollAsync("en", CancellationToken.None);

        Assert.Equal(2, outcome.Distributed);
        Assert.Equal("2,3", await QueuedArticlesAsync());
    }

    [Fact]
    public async Task An_unchanged_feed_answers_304_and_costs_no_parsing()
    {
        _server.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        var poller = Poller(backfill: 0);
        await poller.PollAsync("en", CancellationToken.None);

        var outcome = await poller.PollAsync("en", CancellationToken.None);

        Assert.Equal("not modified", outcome.Result);
        Assert.Equal(1, _server.NotModifiedCount("/en.xml"));
    }

    [Fact]
    public async Task A_failing_feed_backs_off_and_a_recovered_one_polls_normally_again()
    {
        _server.Respond("/en.xml", System.Net.HttpStatusCode.InternalServerError);
        var poller = Poller(backfill: 0);

        var failed = await poller.PollAsync("en", CancellationToken.None);
        var skipped = await poller.PollAsync("en", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        _server.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        var recovered = await poller.PollAsync("en", CancellationToken.None);

        Assert.StartsWith("failed: HTTP 500", failed.Result, StringComparison.Ordinal);
        Assert.Equal("backing off", skipped.Result);
        Assert.Equal(2, _server.RequestCount("/en.xml"));
        Assert.Equal("parsed", recovered.Result);
        Assert.Equal(0, (await _db.Store.GetFeedStateAsync("en", CancellationToken.None)).ConsecutiveFailures);
    }

    [Fact]
    public async Task Two_items_with_one_guid_are_not_merged_silently()
    {
        var twice = WordPressFeed.Rss(new Article(1), new Article(2)).Replace("?p=2<", "?p=1<", StringComparison.Ordinal);
        _server.Publish("/en.xml", twice);

        await Poller(backfill: 5).PollAsync("en", CancellationToken.None);

        Assert.Contains(_logs.Messages, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("https://atlas.az/?p=1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Subscribers_get_the_analyses_of_their_topics_and_a_renamed_topic_keeps_old_choices_for_items_still_carrying_it()
    {
        var now = _time.GetUtcNow();
        await _db.Store.SubscribeAsync(101, "private", "Chose energy", "en", ["en"], now, CancellationToken.None);
        await _db.Store.SubscribeAsync(102, "private", "Chose nothing", "en", ["en"], now, CancellationToken.None);
        await _db.Store.SetTopicAsync(101, "energy", chosen: true, CancellationToken.None);
        _server.Publish("/en.xml", WordPressFeed.Rss(new Article(1) { Categories = ["Energy"] }, new Article(2) { Categories = ["Security"] }));
        var poller = Poller(backfill: 5);
        await poller.PollAsync("en", CancellationToken.None);

        // The feed renames "Energy" to "Energy & Climate" on article 1 and on new ones; some still carry "Energy" too,
        // or spell it anew ("ENERGY": the same key).
        _server.Publish("/en.xml", WordPressFeed.Rss(
            new Article(1) { Categories = ["Energy & Climate"] },
            new Article(2) { Categories = ["Security"] },
            new Article(3) { Categories = ["Energy & Climate", "Energy"] },
            new Article(4) { Categories = ["Energy & Climate"] },
            new Article(5) { Categories = ["ENERGY"] }));
        _time.Advance(TimeSpan.FromMinutes(5));
        await poller.PollAsync("en", CancellationToken.None);

        Assert.Equal("1,3,5", await ArticlesForAsync("101"));
        Assert.Equal("1,2,3,4,5", await ArticlesForAsync("102"));
        Assert.Equal("1,2,3,4,5", await ArticlesForAsync("@atlas_en"));
        Assert.Equal(["Energy & Climate"], await _db.ListAsync("SELECT t.topic FROM item_topics t JOIN items i ON i.seq = t.item_seq WHERE i.title LIKE 'Analysis 1:%'"));
        Assert.Equal(["ENERGY"], await _db.ListAsync("SELECT t.topic FROM item_topics t JOIN items i ON i.seq = t.item_seq WHERE i.title LIKE 'Analysis 5:%'"));
    }

    [Fact]
    public async Task Categories_new_to_a_posted_analysis_record_its_topics_and_queue_no_edit()
    {
        _server.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        var poller = Poller(backfill: 5);
        await poller.PollAsync("en", CancellationToken.None);

        _server.Publish("/en.xml", WordPressFeed.Rss(new Article(1) { Categories = ["Energy", "Caspian"] }));
        _time.Advance(TimeSpan.FromMinutes(5));
        await poller.PollAsync("en", CancellationToken.None);

        Assert.Equal(["Caspian", "Energy"], await _db.ListAsync("SELECT topic FROM item_topics ORDER BY topic"));
        Assert.Equal(0, await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE edit_of IS NOT NULL"));
    }

    [Fact]
    public void Undated_items_go_out_in_reverse_document_order()
    {
        FeedItem Undated(string id) => new(id, id, null, null, null, null, null, null);

        var ordered = FeedPoller.OldestFirst([Undated("newest"), Undated("middle"), Undated("oldest")]);

        Assert.Equal(["oldest", "middle", "newest"], ordered.Select(item => item.Id));
    }

    private FeedPoller Poller(int backfill)
    {
        var feeds = new FeedsOptions
        {
            Feeds = [new FeedOptions { Id = "en", Url = _server.Url("/en.xml").ToString(), Language = "en", Channels = ["@atlas_en"], Backfill = backfill }],
        };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging(logging => logging.AddProvider(_logs));
        services.AddPoller(_db.Store, _time, feeds, new TrackingOptions());
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<FeedPoller>();
    }

    private async Task<string> ArticlesForAsync(string chat)
    {
        var titles = await _db.ListAsync($"SELECT i.title FROM deliveries d JOIN items i ON i.seq = d.item_seq WHERE d.chat = '{chat}' AND d.edit_of IS NULL ORDER BY i.seq");
        return WordPressFeed.NumbersOf(titles);
    }

    private async Task<string> QueuedArticlesAsync() =>
        WordPressFeed.NumbersOf(await _db.ListAsync("SELECT i.title FROM deliveries d JOIN items i ON i.seq = d.item_seq ORDER BY d.id"));
}
