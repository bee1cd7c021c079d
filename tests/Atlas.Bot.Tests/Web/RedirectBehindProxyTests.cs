using System.Net;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.EndToEnd;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.Web;

/// <summary>The whole host behind a reverse proxy on this machine (127.0.0.1), which names each reader in X-Forwarded-For.</summary>
public sealed class RedirectBehindProxyTests : IAsyncLifetime, IDisposable
{
    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly Article Analysis = new(1);

    private readonly TempFolder _folder = new();
    private FeedServer _feeds = null!;
    private FakeBotApi _telegram = null!;
    private BotHost _bot = null!;
    private HttpClient _http = null!;
    private string _code = null!;

    public async Task InitializeAsync()
    {
        _feeds = await FeedServer.StartAsync();
        _telegram = await FakeBotApi.StartAsync();
        _feeds.Publish("/en.xml", WordPressFeed.Rss(Analysis));
        _bot = await BotHost.StartAsync(_folder.Path, _telegram, new Dictionary<string, string?>
        {
            ["Feeds:0:Id"] = "en",
            ["Feeds:0:Url"] = _feeds.Url("/en.xml").ToString(),
            ["Feeds:0:Language"] = "en",
            ["Feeds:0:Backfill"] = "1",
            ["Feeds:0:Channels:0"] = "@atlas_en",
            ["Web:TrustedProxies:0"] = "127.0.0.1",
        });
        await _telegram.WaitForMessagesAsync(1, Patience);
        _code = (await Store.FindTrackedItemAsync(Analysis.Link, CancellationToken.None))!.Code;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _bot.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _bot.DisposeAsync();
        await _telegram.DisposeAsync();
        await _feeds.DisposeAsync();
    }

    public void Dispose() => _folder.Dispose();

    private Store Store => _bot.Services.GetRequiredService<Store>();

    [Fact]
    public async Task Readers_with_the_same_browser_are_told_apart_by_the_address_the_proxy_forwards()
    {
        string[] readers = ["203.0.113.7", "198.51.100.23", "203.0.113.7"];
        foreach (var reader in readers)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{_code}");
            request.Headers.TryAddWithoutValidation("User-Agent", Safari);
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", reader);
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        }

        await Until.TrueAsync(async () => await OpensAsync() == 2, "the two readers' opens to be recorded");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the third was the first reader again: it must not arrive
        Assert.Equal(2, await OpensAsync());
    }

    private async Task<long> OpensAsync() =>
        (await Store.FiguresBetweenAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), itemSeq: null, CancellationToken.None)).Opens;
}
