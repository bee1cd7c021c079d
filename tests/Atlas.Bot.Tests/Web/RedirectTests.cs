using System.Globalization;
using System.Net;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;

namespace Atlas.Bot.Tests.Web;

/// <summary>The whole host: an analysis is distributed, then readers (and machines) open its tracked link.</summary>
/// <remarks>
/// Alone, as the other tests that read /metrics (each provider's class is in that collection): a host started at the same
/// time exports its own series too.
/// </remarks>
public abstract class RedirectTests(Provider provider) : TrackedLinkTest(provider)
{
    private const string TelegramPreview = "TelegramBot (like TwitterBot)";

    [Fact]
    public async Task A_reader_is_redirected_to_the_article_and_the_open_is_counted()
    {
        using var response = await OpenAsync(Code, Safari);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(new Uri(Analysis.Link), response.Headers.Location);
        Assert.True(response.Headers.CacheControl?.NoStore);
        await Until.TrueAsync(async () => await OpensAsync() == 1, "the open to be recorded");
    }

    [Fact]
    public async Task Telegrams_preview_fetcher_a_HEAD_request_and_a_repeat_are_redirected_but_not_counted()
    {
        using (var preview = await OpenAsync(Code, TelegramPreview))
        using (var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/r/{Code}") { Headers = { { "User-Agent", Safari } } }))
        using (var first = await OpenAsync(Code, Safari))
        using (var repeat = await OpenAsync(Code, Safari))
        using (var other = await OpenAsync(Code, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"))
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
        using (var first = await OpenAsync(Code, Safari, forwardedFor: "203.0.113.7"))
        using (var second = await OpenAsync(Code, Safari, forwardedFor: "198.51.100.23"))
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
    public async Task A_flood_from_one_address_naming_a_new_browser_and_a_forged_forwarded_address_each_time_counts_thirty_opens()
    {
        const int Requests = 1000;
        var redirected = await ConcurrentlyAsync(Requests, async i =>
        {
            var number = i.ToString(CultureInfo.InvariantCulture);
            using var response = await OpenAsync(Code, $"Mozilla/5.0 (Linux; Android 14; Flood {number}) Chrome/126.0 Mobile Safari/537.36", forwardedFor: $"198.51.{i / 250}.{i % 250}");
            return response.StatusCode == HttpStatusCode.Found;
        });

        Assert.Equal(Requests, redirected);
        await Until.TrueAsync(async () => await OpensAsync() >= 30, "the first thirty opens to be recorded", Patience);
        await Task.Delay(TimeSpan.FromSeconds(1)); // two more write intervals: nothing else may arrive
        Assert.Equal(30, await OpensAsync());

        // The rest are visible to operators as what they are.
        var limited = PrometheusText.Parse(await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)))
            .Single(sample => sample.Name == "atlas_bot_opens_uncounted_total" && sample.Has(("reason", "limited")));
        Assert.Equal(Requests - 30, limited.Value);
    }
}

[Collection(ProcessWideMetrics.Name)]
public sealed class RedirectTests_Sqlite() : RedirectTests(Provider.Sqlite);

[Collection(ProcessWideMetrics.Name)]
public sealed class RedirectTests_Postgres() : RedirectTests(Provider.Postgres);
