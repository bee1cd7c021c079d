using System.Net;
using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.Feeds.Fake;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Tests.Feeds;

public sealed class PublicAddressesTests
{
    [Theory]
    [InlineData("93.184.216.34", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2a00:1450:4001:80b::200e", true)]
    [InlineData("64:ff9b::808:808", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.255.0.9", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("10.20.30.40", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("224.0.0.251", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("::ffff:93.184.216.34", true)]
    [InlineData("64:ff9b::7f00:1", false)]
    [InlineData("2002:c0a8:101::1", false)]
    public void An_address_is_public_only_outside_the_local_private_and_reserved_networks(string address, bool expected) =>
        Assert.Equal(expected, PublicAddresses.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task A_redirect_to_an_address_that_is_not_allowed_is_refused_before_connecting()
    {
        await using var server = await FeedServer.StartAsync();
        // 127.0.0.1 plays a public site here; the redirect leads to another loopback address, which the check refuses.
        server.Redirect("/moved", $"http://127.0.0.2:{server.Url("/").Port}/feed.xml");
        var handler = FetchServiceCollectionExtensions.Handler(address => address.Equals(IPAddress.Loopback));
        var fetcher = new FeedFetcher(new HttpClient(handler), Options.Create(new FetchOptions()), TimeProvider.System, NullLogger<FeedFetcher>.Instance);

        var result = await fetcher.FetchAsync(server.Url("/moved").AbsoluteUri, null, default);

        Assert.Equal(new FetchResult.Failed("refused: 127.0.0.2 is not a public address (Fetch__AllowPrivateAddresses=true allows it)"), result);
        Assert.Equal(1, server.RequestCount("/moved"));
    }
}
