using Atlas.Bot.Storage;
using Atlas.Bot.Tests.EndToEnd;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;

namespace Atlas.Bot.Tests.Web;

/// <summary>
/// The whole host with one analysis distributed; its tracked link is then opened by readers (and machines). On either
/// provider: a subclass per provider, as the end-to-end classes do.
/// </summary>
public abstract class TrackedLinkTest(Provider provider) : HostTest(provider), IDisposable
{
    protected const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    protected static readonly Article Analysis = new(1);

    private BotHost _bot = null!;
    private HttpClient _http = null!;

    /// <summary>The analysis's tracked-link code.</summary>
    protected string Code { get; private set; } = null!;

    protected HttpClient Http => _http;

    protected Store Store => _bot.Services.GetRequiredService<Store>();

    /// <summary>Settings beyond the one English feed and its channel.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings => [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Feeds.Publish("/en.xml", WordPressFeed.Rss(Analysis));
        var settings = new Dictionary<string, string?>
        {
            ["Feeds:0:Id"] = "en",
            ["Feeds:0:Url"] = Feeds.Url("/en.xml").ToString(),
            ["Feeds:0:Language"] = "en",
            ["Feeds:0:Backfill"] = "1",
            ["Feeds:0:Channels:0"] = "@atlas_en",
        };
        foreach (var (key, value) in MoreSettings)
        {
            settings[key] = value;
        }

        _bot = await StartBotAsync(settings);
        await BotApi.WaitForMessagesAsync(1, Patience);
        Code = (await Store.FindTrackedItemByCodeOrLinkAsync(Analysis.Link, CancellationToken.None))!.Code;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _bot.BaseAddress };
    }

    public override async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await base.DisposeAsync();
    }

    public void Dispose()
    {
        _http?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected Task<HttpResponseMessage> OpenAsync(string code, string userAgent, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{code}");
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        return _http.SendAsync(request);
    }

    /// <summary>Runs <paramref name="open"/> for 0 … <paramref name="requests"/> - 1 on 50 workers; returns how many said true.</summary>
    protected static async Task<int> ConcurrentlyAsync(int requests, Func<int, Task<bool>> open)
    {
        const int Workers = 50;
        var next = -1;
        var succeeded = 0;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                if (await open(i))
                {
                    Interlocked.Increment(ref succeeded);
                }
            }
        })));

        return succeeded;
    }

    protected async Task<long> OpensAsync() =>
        (await Store.FiguresBetweenAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), itemSeq: null, CancellationToken.None)).Opens;
}
