using System.Globalization;
using System.Net;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.EndToEnd;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.Web;

/// <summary>The whole host: an analysis is distributed, then readers (and machines) open its tracked link.</summary>
public sealed class RedirectTests : IAsyncLifetime, IDisposable
{
    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private const string TelegramPreview = "TelegramBot (like TwitterBot)";
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
    public async Task A_reader_is_redirected_to_the_article_and_the_open_is_counted()
    {
        using var response = await OpenAsync(_code, Safari);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(new Uri(Analysis.Link), response.Headers.Location);
        Assert.True(response.Headers.CacheControl?.NoStore);
        await Until.TrueAsync(async () => await OpensAsync() == 1, "the open to be recorded");
    }

    [Fact]
    public async Task Telegrams_preview_fetcher_a_HEAD_request_and_a_repeat_are_redirected_but_not_counted()
    {
        using (var preview = await OpenAsync(_code, TelegramPreview))
        using (var head = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/r/{_code}") { Headers = { { "User-Agent", Safari } } }))
        using (var first = await OpenAsync(_code, Safari))
        using (var repeat = await OpenAsync(_code, Safari))
        using (var other = await OpenAsync(_code, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"))
        {
            Assert.All([preview, head, first, repeat, other], response => Assert.Equal(HttpStatusCode.Found, response.StatusCode));
        }

        await Until.TrueAsync(async () => await OpensAsync() == 2, "the two readers' opens to be recorded");
        await Task.Delay(TimeSpan.FromSeconds(1)); // two more write intervals: nothing else may arrive
        Assert.Equal(2, await OpensAsync());
    }

    [Fact]
    public async Task X_Forwarded_For_from_a_client_that_is_not_a_trusted_proxy_changes_nothing()
    {
        // Anyone can write the header: believing it here would let one reader count as many.
        using (var first = await OpenAsync(_code, Safari, forwardedFor: "203.0.113.7"))
        using (var second = await OpenAsync(_code, Safari, forwardedFor: "198.51.100.23"))
        {
            Assert.All([first, second], response => Assert.Equal(HttpStatusCode.Found, response.StatusCode));
        }

        await Until.TrueAsync(async () => await OpensAsync() == 1, "the first open to be recorded");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await OpensAsync());
    }

    [Theory]
    [InlineData("ZZZZZZZZZZ")]
    [InlineData("short")]
    [InlineData("abc%21def12")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task An_unknown_or_ill_formed_code_gets_the_not_known_page_in_three_languages(string code)
    {
        using var response = await OpenAsync(code, Safari);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bu keçid məlum deyil.", page, StringComparison.Ordinal);
        Assert.Contains("This link is not known.", page, StringComparison.Ordinal);
        Assert.Contains("Эта ссылка неизвестна.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_thousand_concurrent_opens_by_distinct_readers_are_all_redirected_and_all_counted()
    {
        const int Requests = 2000;
        const int Workers = 50;
        var next = -1;
        var redirected = 0;

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Requests; i = Interlocked.Increment(ref next))
            {
                // A distinct browser per request: none is a repeat, so every one must be counted.
                using var response = await OpenAsync(_code, $"Mozilla/5.0 (Linux; Android 14; Reader {i.ToString(CultureInfo.InvariantCulture)}) Chrome/126.0 Mobile Safari/537.36");
                if (response.StatusCode == HttpStatusCode.Found)
                {
                    Interlocked.Increment(ref redirected);
                }
            }
        })));

        Assert.Equal(Requests, redirected);
        await Until.TrueAsync(async () => await OpensAsync() >= Requests, "every open to be recorded", Patience);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(Requests, await OpensAsync());
    }

    private Task<HttpResponseMessage> OpenAsync(string code, string userAgent, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{code}");
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        return _http.SendAsync(request);
    }

    private async Task<long> OpensAsync() =>
        (await Store.FiguresBetweenAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), itemSeq: null, CancellationToken.None)).Opens;
}
