using System.Diagnostics;
using System.Net;
using System.Text;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Feeds.WebSub;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Delivery;
using Atlas.Bot.Tests.EndToEnd;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Web;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Feeds.WebSub;

/// <summary>
/// The subscriber end to end: the bot's callback on an ephemeral port, the in-process hub, the feed site for polls and a
/// real SQLite file. No scheduler runs: polls happen only when a test asks, as with an hourly schedule between them.
/// </summary>
public sealed class WebSubTests : IAsyncLifetime, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private readonly TrackingOptions _tracking = new();
    private TempDatabase _db = null!;
    private FeedServer _site = null!;
    private FakeHub _hub = null!;
    private WebApplication _bot = null!;

    private Uri Topic => _site.Url("/en.xml");

    private WebSubSubscriber Subscriber => _bot.Services.GetRequiredService<WebSubSubscriber>();

    private FeedPoller Poller => _bot.Services.GetRequiredService<FeedPoller>();

    public async Task InitializeAsync()
    {
        _db = await TempDatabase.CreateAsync();
        _site = await FeedServer.StartAsync();
        _hub = await FakeHub.StartAsync();
        _bot = await StartBotAsync(["en"]);
    }

    public async Task DisposeAsync()
    {
        await _bot.StopAsync();
        await _bot.DisposeAsync();
        await _hub.DisposeAsync();
        await _site.DisposeAsync();
        await _db.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Subscribing_asks_the_hub_with_topic_callback_secret_and_lease_and_answers_its_verification()
    {
        await SubscribeAsync();

        var request = Assert.Single(_hub.Requests);
        Assert.Equal("subscribe", request["hub.mode"]);
        Assert.Equal(Topic.AbsoluteUri, request["hub.topic"]);
        Assert.StartsWith($"{_tracking.PublicBaseUrl}/websub/en/", request["hub.callback"], StringComparison.Ordinal);
        Assert.Equal(48, request["hub.secret"].Length);
        Assert.Equal("604800", request["hub.lease_seconds"]);
        Assert.Contains(_hub.Verifications, verification => verification is ("subscribe", HttpStatusCode.OK, _));
        var stored = await _db.Store.GetWebSubAsync("en", CancellationToken.None);
        Assert.Equal(WebSubState.Verified, stored!.State);
        Assert.Equal(_time.GetUtcNow().AddSeconds(604800), stored.LeaseUntil);
    }

    [Fact]
    public async Task A_poll_of_a_feed_naming_its_hub_subscribes_to_it_and_one_that_stops_naming_it_lets_it_go()
    {
        var links = $"<channel><atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" rel=\"hub\" href=\"{_hub.Url}\"/>"
            + $"<atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" rel=\"self\" href=\"{Topic}\"/>";
        _site.Publish("/en.xml", WordPressFeed.Rss(new Article(1)).Replace("<channel>", links, StringComparison.Ordinal));

        await Poller.PollAsync("en", CancellationToken.None);
        await _hub.WaitForVerificationsAsync(1);

        var request = Assert.Single(_hub.Requests);
        Assert.Equal(("subscribe", Topic.AbsoluteUri), (request["hub.mode"], request["hub.topic"]));
        Assert.Equal(WebSubState.Verified, (await _db.Store.GetWebSubAsync("en", CancellationToken.None))!.State);

        _site.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        await Poller.PollAsync("en", CancellationToken.None);
        await _hub.WaitForVerificationsAsync(2);

        Assert.Equal("unsubscribe", _hub.Requests[^1]["hub.mode"]);
    }

    [Theory]
    [InlineData("sha1")]
    [InlineData("sha256")]
    [InlineData("sha384")]
    [InlineData("sha512")]
    public async Task A_signed_push_reaches_the_channel_queue_within_five_seconds_and_counts_as_a_successful_poll(string method)
    {
        _site.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        await Poller.PollAsync("en", CancellationToken.None);
        await SubscribeAsync();
        _time.Advance(TimeSpan.FromMinutes(30));

        var watch = Stopwatch.StartNew();
        var status = await _hub.PushAsync(Topic.AbsoluteUri, Encoding.UTF8.GetBytes(WordPressFeed.Rss(new Article(1), new Article(2))), method);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("2", await QueuedArticlesAsync());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(_time.GetUtcNow(), (await _db.Store.GetFeedStateAsync("en", CancellationToken.None)).LastSuccessAt);
    }

    [Fact]
    public async Task A_forged_or_unsigned_push_is_answered_2xx_and_its_body_ignored()
    {
        _site.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        await Poller.PollAsync("en", CancellationToken.None);
        await SubscribeAsync();
        var body = Encoding.UTF8.GetBytes(WordPressFeed.Rss(new Article(1), new Article(2)));

        Assert.Equal(HttpStatusCode.Accepted, await _hub.PushAsync(Topic.AbsoluteUri, body, secret: "not-the-secret"));
        Assert.Equal(HttpStatusCode.Accepted, await _hub.PushAsync(Topic.AbsoluteUri, body, withSignature: false));

        Assert.Equal("", await QueuedArticlesAsync());
        Assert.Contains(_logs.Messages, message => message.Contains("ignored (bad_signature)", StringComparison.Ordinal));
        Assert.Contains(_logs.Messages, message => message.Contains("ignored (unsigned)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_challenge_for_an_unknown_subscription_a_wrong_token_or_topic_or_a_verified_one_is_refused()
    {
        await SubscribeAsync();
        var callback = _hub.Verified[Topic.AbsoluteUri].Callback;
        var wrongToken = new Uri(callback.AbsoluteUri[..^4] + "0000");

        Assert.Equal(HttpStatusCode.NotFound, (await _hub.VerifyIntentAsync("subscribe", Topic.AbsoluteUri, new Uri($"{_tracking.PublicBaseUrl}/websub/other/abc"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _hub.VerifyIntentAsync("subscribe", Topic.AbsoluteUri, wrongToken)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _hub.VerifyIntentAsync("subscribe", "https://elsewhere.example/feed", callback)).Status);
        // Verified already: nothing is pending, so a replayed verification is refused.
        Assert.Equal(HttpStatusCode.NotFound, (await _hub.VerifyIntentAsync("subscribe", Topic.AbsoluteUri, callback)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _hub.VerifyIntentAsync("unsubscribe", Topic.AbsoluteUri, callback)).Status);
    }

    [Fact]
    public async Task A_pushed_item_is_not_posted_again_by_a_poll_nor_a_polled_one_by_a_push()
    {
        _site.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        await Poller.PollAsync("en", CancellationToken.None);
        await SubscribeAsync();

        await _hub.PushAsync(Topic.AbsoluteUri, Encoding.UTF8.GetBytes(WordPressFeed.Rss(new Article(1), new Article(2))));
        _site.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2), new Article(3)));
        var polled = await Poller.PollAsync("en", CancellationToken.None);
        await _hub.PushAsync(Topic.AbsoluteUri, Encoding.UTF8.GetBytes(WordPressFeed.Rss(new Article(1), new Article(2), new Article(3))));

        Assert.Equal(1, polled.Distributed);
        Assert.Equal("2,3", await QueuedArticlesAsync());
    }

    [Fact]
    public async Task The_lease_is_renewed_at_eighty_percent_of_what_the_hub_granted()
    {
        _hub.GrantedLeaseSeconds = 1000;
        await SubscribeAsync();

        _time.Advance(TimeSpan.FromSeconds(799));
        Assert.Equal(0, await Subscriber.RenewDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Subscriber.RenewDueAsync(CancellationToken.None));
        await _hub.WaitForVerificationsAsync(2);

        Assert.Equal(2, _hub.Requests.Count(request => request["hub.mode"] == "subscribe"));
        var renewed = await _db.Store.GetWebSubAsync("en", CancellationToken.None);
        Assert.Equal((WebSubState.Verified, _time.GetUtcNow().AddSeconds(1000)), (renewed!.State, renewed.LeaseUntil));
    }

    [Fact]
    public async Task A_hub_that_is_down_is_retried_with_backoff_while_polling_alone_loses_nothing()
    {
        _hub.Status = HttpStatusCode.ServiceUnavailable;
        _site.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        await Poller.PollAsync("en", CancellationToken.None);

        await Subscriber.EnsureSubscribedAsync("en", _hub.Url, Topic, CancellationToken.None);
        var failed = await _db.Store.GetWebSubAsync("en", CancellationToken.None);
        Assert.Equal((WebSubState.Failed, 1, _time.GetUtcNow().AddMinutes(1)), (failed!.State, failed.Failures, failed.NextAttempt));
        Assert.Contains("503", failed.LastError, StringComparison.Ordinal);

        // Not before the backoff; then 2 minutes after the second failure.
        await Subscriber.EnsureSubscribedAsync("en", _hub.Url, Topic, CancellationToken.None);
        Assert.Single(_hub.Requests);
        _time.Advance(TimeSpan.FromMinutes(1));
        await Subscriber.RenewDueAsync(CancellationToken.None);
        Assert.Equal(_time.GetUtcNow().AddMinutes(2), (await _db.Store.GetWebSubAsync("en", CancellationToken.None))!.NextAttempt);

        _site.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2), new Article(3)));
        await Poller.PollAsync("en", CancellationToken.None);
        Assert.Equal("2,3", await QueuedArticlesAsync());
    }

    [Fact]
    public async Task A_feed_no_longer_configured_is_unsubscribed_once_the_hub_verifies_it()
    {
        await SubscribeAsync();

        await Subscriber.UnsubscribeRemovedAsync(["fr"], CancellationToken.None);
        await _hub.WaitForVerificationsAsync(2);

        Assert.Contains(_hub.Verifications, verification => verification is ("unsubscribe", HttpStatusCode.OK, _));
        Assert.Empty(_hub.Verified);
        Assert.Null(await _db.Store.GetWebSubAsync("en", CancellationToken.None));
    }

    [Fact]
    public async Task A_denial_by_the_hub_is_recorded_as_a_failure_to_retry()
    {
        await SubscribeAsync();
        var callback = _hub.Verified[Topic.AbsoluteUri].Callback;

        using var http = new HttpClient();
        using var denied = await http.GetAsync(new Uri($"{callback.AbsoluteUri}?hub.mode=denied&hub.topic={Uri.EscapeDataString(Topic.AbsoluteUri)}&hub.reason=not+allowed"));

        Assert.Equal(HttpStatusCode.OK, denied.StatusCode);
        var stored = await _db.Store.GetWebSubAsync("en", CancellationToken.None);
        Assert.Equal((WebSubState.Failed, "denied by the hub: not allowed"), (stored!.State, stored.LastError));
    }

    [Fact]
    public async Task A_push_longer_than_Fetch_MaxBytes_is_answered_2xx_and_not_read()
    {
        await _bot.StopAsync();
        await _bot.DisposeAsync();
        _bot = await StartBotAsync(["en"], maxBytes: 4096);
        _site.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        Assert.Equal("parsed", (await Poller.PollAsync("en", CancellationToken.None)).Result);
        await SubscribeAsync();

        var body = Encoding.UTF8.GetBytes(WordPressFeed.Rss([.. Enumerable.Range(1, 20).Select(number => new Article(number))]));
        Assert.True(body.Length > 4096);

        Assert.Equal(HttpStatusCode.Accepted, await _hub.PushAsync(Topic.AbsoluteUri, body));
        Assert.Equal("", await QueuedArticlesAsync());
        Assert.Contains(_logs.Messages, message => message.Contains("ignored (too_large)", StringComparison.Ordinal));
    }

    private async Task SubscribeAsync()
    {
        var before = _hub.Verifications.Count;
        await Subscriber.EnsureSubscribedAsync("en", _hub.Url, Topic, CancellationToken.None);
        await _hub.WaitForVerificationsAsync(before + 1);
    }

    private async Task<WebApplication> StartBotAsync(string[] feedIds, int maxBytes = FetchOptions.DefaultMaxBytes)
    {
        var feeds = new FeedsOptions
        {
            Feeds = [.. feedIds.Select(id => new FeedOptions { Id = id, Url = _site.Url($"/{id}.xml").ToString(), Language = "en", Channels = ["@atlas_en"], Backfill = 0 })],
        };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Debug);
        var services = builder.Services;
        services.AddPoller(_db.Store, _time, feeds, _tracking);
        services.Configure<FetchOptions>(fetch => fetch.MaxBytes = maxBytes);
        var app = builder.Build();
        app.MapWebSub();
        await app.StartAsync();
        _tracking.PublicBaseUrl = app.Urls.Single().TrimEnd('/');
        return app;
    }

    private async Task<string> QueuedArticlesAsync()
    {
        var titles = await _db.ListAsync("SELECT i.title FROM deliveries d JOIN items i ON i.seq = d.item_seq ORDER BY d.id");
        return WordPressFeed.NumbersOf(titles);
    }
}
