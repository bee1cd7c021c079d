using System.Globalization;
using System.Net;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;

namespace Atlas.Bot.Tests.Web;

/// <summary>The whole host behind a reverse proxy on this machine (127.0.0.1), which names each reader in X-Forwarded-For.</summary>
public abstract class RedirectBehindProxyTests(Provider provider) : TrackedLinkTest(provider)
{
    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings => [new("Web:TrustedProxies:0", "127.0.0.1")];

    [Fact]
    public async Task Readers_with_the_same_browser_are_told_apart_by_the_address_the_proxy_forwards()
    {
        string[] readers = ["203.0.113.7", "198.51.100.23", "203.0.113.7"];
        foreach (var reader in readers)
        {
            using var response = await OpenAsync(Code, Safari, forwardedFor: reader);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        }

        await Until.TrueAsync(async () => await OpensAsync() == 2, "the two readers' opens to be recorded");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the third was the first reader again: it must not arrive
        Assert.Equal(2, await OpensAsync());
    }

    [Fact]
    public async Task Readers_behind_the_proxy_still_count_while_one_address_behind_it_floods_with_a_new_browser_each_time()
    {
        const int Flood = 1000;
        const int Readers = 100;
        var redirected = await ConcurrentlyAsync(Flood + Readers, async i =>
        {
            var number = i.ToString(CultureInfo.InvariantCulture);
            using var response = i < Flood
                ? await OpenAsync(Code, $"Mozilla/5.0 (Linux; Android 14; Flood {number}) Chrome/126.0 Mobile Safari/537.36", forwardedFor: "198.51.100.66")
                : await OpenAsync(Code, Safari, forwardedFor: $"203.0.113.{i - Flood}");
            return response.StatusCode == HttpStatusCode.Found;
        });

        Assert.Equal(Flood + Readers, redirected);
        await Until.TrueAsync(async () => await OpensAsync() >= 30 + Readers, "the readers' and the flood's first thirty opens to be recorded", Patience);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(30 + Readers, await OpensAsync());
    }

    [Fact]
    public async Task Two_thousand_concurrent_opens_by_distinct_readers_are_all_redirected_and_all_counted()
    {
        const int Requests = 2000;
        var redirected = await ConcurrentlyAsync(Requests, async i =>
        {
            // A distinct address per request: none is a repeat or over the limit, so every one must be counted.
            using var response = await OpenAsync(Code, Safari, forwardedFor: $"198.18.{i / 256}.{i % 256}");
            return response.StatusCode == HttpStatusCode.Found;
        });

        Assert.Equal(Requests, redirected);
        await Until.TrueAsync(async () => await OpensAsync() >= Requests, "every open to be recorded", Patience);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(Requests, await OpensAsync());
    }
}

public sealed class RedirectBehindProxyTests_Sqlite() : RedirectBehindProxyTests(Provider.Sqlite);

public sealed class RedirectBehindProxyTests_Postgres() : RedirectBehindProxyTests(Provider.Postgres);
