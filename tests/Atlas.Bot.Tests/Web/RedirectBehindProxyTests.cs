using System.Net;
using Atlas.Bot.Tests.Telegram;

namespace Atlas.Bot.Tests.Web;

/// <summary>The whole host behind a reverse proxy on this machine (127.0.0.1), which names each reader in X-Forwarded-For.</summary>
public sealed class RedirectBehindProxyTests : TrackedLinkTest
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
}
