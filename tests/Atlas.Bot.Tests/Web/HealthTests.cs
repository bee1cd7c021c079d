using System.Net;
using System.Text.Json;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.EndToEnd;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.Web;

/// <summary>Liveness and readiness of the whole host, with a feed that fails and recovers.</summary>
public abstract class HealthTests(Provider provider) : HostTest(provider), IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new();
    private readonly List<string> _bodies = [];

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Readiness_goes_503_naming_the_feed_and_its_error_when_it_fails_and_back_to_200_when_it_recovers()
    {
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        var clock = new SkippingClock();
        await using var bot = await StartBotAsync(Settings(), time: clock);
        _http.BaseAddress = bot.BaseAddress;

        var ready = await WaitForReadinessAsync(HttpStatusCode.OK);
        Assert.Equal("""{"status":"ready"}""", ready);

        Feeds.Respond("/en.xml", HttpStatusCode.InternalServerError);
        var failing = JsonDocument.Parse(await WaitForReadinessAsync(HttpStatusCode.ServiceUnavailable)).RootElement;
        Assert.Equal("not ready", failing.GetProperty("status").GetString());
        Assert.Equal(
            ["feed en: no successful poll in 6s (3 intervals); last error: HTTP 500 Internal Server Error"],
            failing.GetProperty("problems").EnumerateArray().Select(problem => problem.GetString()));
        await AssertLiveAsync();

        // The failed poll backs off for a minute: skip past it rather than wait.
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2)));
        clock.Skip(TimeSpan.FromMinutes(2));
        Assert.Equal("""{"status":"ready"}""", await WaitForReadinessAsync(HttpStatusCode.OK));
        await AssertLiveAsync();

        // No answer names the token or the database's connection string (in either provider's form).
        Assert.DoesNotContain(_bodies, body => body.Contains(BotApi.Token.Split(':')[1], StringComparison.Ordinal)
            || body.Contains("Data Source", StringComparison.OrdinalIgnoreCase)
            || body.Contains("Host=", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_feed_failing_from_the_start_has_three_intervals_of_grace_before_readiness_names_it()
    {
        Feeds.Respond("/en.xml", HttpStatusCode.NotFound);
        // The service's clock stands still unless skipped: the grace is measured on it, not on how fast a busy
        // machine gets the host started and the first probe out.
        var clock = new SkippingClock(standing: true);
        await using var bot = await StartBotAsync(Settings(), time: clock);
        _http.BaseAddress = bot.BaseAddress;
        var store = bot.Services.GetRequiredService<Store>();
        await Until.TrueAsync(async () => (await store.GetFeedStateAsync("en", CancellationToken.None)).LastError is not null, "the first poll to fail", Patience);

        // Two and a half intervals (2 s each) after the start: failing, but still within the grace.
        clock.Skip(TimeSpan.FromSeconds(5));
        Assert.Equal((HttpStatusCode.OK, """{"status":"ready"}"""), await ReadinessAsync());

        // Past three intervals.
        clock.Skip(TimeSpan.FromSeconds(2));
        var (status, failing) = await ReadinessAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("feed en: no successful poll in 6s (3 intervals); last error: HTTP 404 Not Found", failing, StringComparison.Ordinal);
        await AssertLiveAsync();
    }

    private async Task AssertLiveAsync()
    {
        foreach (var path in new[] { "/healthz/live", "/healthz" })
        {
            using var response = await _http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok", (await response.Content.ReadAsStringAsync()).Trim());
        }
    }

    private async Task<string> WaitForReadinessAsync(HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var (status, body) = await ReadinessAsync();
            if (status == expected)
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"readiness stayed {(int)status}: {body}");
            await AssertLiveAsync();
            await Task.Delay(200);
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> ReadinessAsync()
    {
        using var response = await _http.GetAsync("/healthz/ready");
        var body = await response.Content.ReadAsStringAsync();
        _bodies.Add(body);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, body);
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Feeds:0:Id"] = "en",
        ["Feeds:0:Url"] = Feeds.Url("/en.xml").ToString(),
        ["Feeds:0:Language"] = "en",
        ["Feeds:0:Schedule"] = EveryTwoSeconds,
        ["Feeds:0:Channels:0"] = "@atlas_en",
        ["Telegram:Updates"] = "Off",
    };

    /// <summary>The system clock, moved ahead on demand; timers still run in real time.</summary>
    /// <param name="standing">Stopped at its creation: it then moves only when skipped.</param>
    private sealed class SkippingClock(bool standing = false) : TimeProvider
    {
        private readonly DateTimeOffset _created = System.GetUtcNow();
        private long _skippedTicks;

        public void Skip(TimeSpan span) => Interlocked.Add(ref _skippedTicks, span.Ticks);

        public override DateTimeOffset GetUtcNow() =>
            (standing ? _created : System.GetUtcNow()) + TimeSpan.FromTicks(Interlocked.Read(ref _skippedTicks));
    }
}

public sealed class HealthTests_Sqlite() : HealthTests(Provider.Sqlite);

public sealed class HealthTests_Postgres() : HealthTests(Provider.Postgres);
