using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.EndToEnd;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;
using Microsoft.Extensions.Options;
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
        services.AddSingleton<TimeProvider>(_time);
        services.AddFeedFetcher();
        services.AddSingleton<FeedSource>();
        services.AddSingleton(_db.Store);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Outbox>();
        services.AddMetrics();
        services.AddSingleton<BotMetrics>();
        services.AddSingleton<AdminAlerts>();
        services.AddSingleton(Options.Create(feeds));
        services.AddSingleton(new FeedUrls(Directory.GetCurrentDirectory()));
        services.AddSingleton<FeedPoller>();
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<FeedPoller>();
    }

    private async Task<string> QueuedArticlesAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT i.title FROM deliveries d JOIN items i ON i.seq = d.item_seq ORDER BY d.id";
        var numbers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            numbers.Add(System.Text.RegularExpressions.Regex.Match(reader.GetString(0), @"Analysis (\d+)").Groups[1].Value);
        }

        return string.Join(",", numbers);
    }
}
