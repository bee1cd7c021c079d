using System.Net;
using System.Text;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Feeds.WebSub;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Web;
using static Atlas.Bot.Tests.EndToEnd.WordPressFeed;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>
/// The whole host as a WebSub subscriber: the feed names the in-process hub, the start-up poll subscribes, the hub
/// verifies intent at the bot's public address and then pushes. The feed polls hourly, so what reaches the channel
/// within seconds came by push.
/// </summary>
public abstract class WebSubPushTests(Provider provider) : HostTest(provider)
{
    /// <summary>At the top of every hour: no poll but the one at start comes within a test.</summary>
    private const string Hourly = "0 0 * * * ?";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private FakeHub _hub = null!;

    private Uri Topic => Feeds.Url("/en.xml");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _hub = await FakeHub.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_signed_push_reaches_the_channel_within_five_seconds_while_the_feed_polls_hourly()
    {
        Feeds.Publish("/en.xml", WithHub(WordPressFeed.Rss(new Article(1))));
        await using var bot = await StartSubscribedAsync();

        // The site still lists article 1 alone: article 2 can only come by the push.
        var status = await _hub.PushAsync(Topic.AbsoluteUri, Encoding.UTF8.GetBytes(WithHub(WordPressFeed.Rss(new Article(1), new Article(2)))));
        var messages = await BotApi.WaitForMessagesAsync(1, TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal([2], ArticlesIn("@atlas_en", messages));
        var state = await bot.Services.GetRequiredService<Store>().GetFeedStateAsync("en", CancellationToken.None);
        Assert.NotNull(state.LastSuccessAt);
    }

    [Fact]
    public async Task Forged_unsigned_and_misaddressed_pushes_are_answered_2xx_post_nothing_and_are_counted_by_reason()
    {
        Feeds.Publish("/en.xml", WithHub(WordPressFeed.Rss(new Article(1))));
        await using var bot = await StartSubscribedAsync();
        var body = Encoding.UTF8.GetBytes(WithHub(WordPressFeed.Rss(new Article(1), new Article(2))));
        var callback = _hub.Verified[Topic.AbsoluteUri].Callback;
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };

        Assert.Equal(HttpStatusCode.Accepted, await _hub.PushAsync(Topic.AbsoluteUri, body, secret: "not-the-secret"));
        Assert.Equal(HttpStatusCode.Accepted, await _hub.PushAsync(Topic.AbsoluteUri, body, "sha512", secret: "not-the-secret"));
        Assert.Equal(HttpStatusCode.Accepted, await _hub.PushAsync(Topic.AbsoluteUri, body, withSignature: false));
        using (var guessed = await http.PostAsync(new Uri(callback.AbsolutePath[..^4] + "0000", UriKind.Relative), new ByteArrayContent(body)))
        {
            Assert.Equal(HttpStatusCode.Accepted, guessed.StatusCode);
        }

        // A signed push afterwards is posted: the forged ones before it changed nothing, and nothing else came.
        await _hub.PushAsync(Topic.AbsoluteUri, body);
        var messages = await BotApi.WaitForMessagesAsync(1, Patience);
        Assert.Equal([2], ArticlesIn("@atlas_en", messages));
        var samples = PrometheusText.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.Equal(
            [("bad_signature", 2.0), ("too_large", 0.0), ("unknown_callback", 1.0), ("unsigned", 1.0)],
            samples.Where(sample => sample.Name == "atlas_bot_websub_pushes_ignored_total")
                .Select(sample => (sample.Labels["reason"], sample.Value))
                .OrderBy(pair => pair.Item1, StringComparer.Ordinal));
    }

    /// <summary>
    /// The bot on a port chosen before it starts, since its public address (the callback the hub is given) must be
    /// configured; polling hourly; subscribed and verified by the hub after the poll at start.
    /// </summary>
    private async Task<BotHost> StartSubscribedAsync()
    {
        var address = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var settings = Settings(backfill: 0, "@atlas_en");
        settings["Feeds:0:Schedule"] = Hourly;
        settings["Urls"] = address;
        settings["Tracking:PublicBaseUrl"] = address;
        var bot = await StartBotAsync(settings);
        await Until.TrueAsync(() => _hub.Verified.ContainsKey(Topic.AbsoluteUri), "the hub to verify the subscription", Patience);
        await Until.TrueAsync(
            async () => (await bot.Services.GetRequiredService<Store>().GetWebSubAsync("en", CancellationToken.None))?.State == WebSubState.Verified,
            "the bot to record the verified subscription",
            Patience);
        return bot;
    }

    /// <summary>The feed as a WordPress site with the WebSub plugin serves it: its hub and its own address in the channel.</summary>
    private string WithHub(string rss) => rss.Replace(
        "<channel>",
        $"<channel><atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" rel=\"hub\" href=\"{_hub.Url}\"/>"
            + $"<atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" rel=\"self\" href=\"{Topic}\"/>",
        StringComparison.Ordinal);
}

// These read /metrics: alone, lest another host's pushes count in theirs.
[Collection(ProcessWideMetrics.Name)]
public sealed class WebSubPushTests_Sqlite() : WebSubPushTests(Provider.Sqlite);

[Collection(ProcessWideMetrics.Name)]
public sealed class WebSubPushTests_Postgres() : WebSubPushTests(Provider.Postgres);
