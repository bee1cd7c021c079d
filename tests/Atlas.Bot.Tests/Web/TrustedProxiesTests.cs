using Atlas.Bot.Web;

namespace Atlas.Bot.Tests.Web;

public sealed class TrustedProxiesTests
{
    [Theory]
    [InlineData("172.18.0.2", "172.18.0.2/32")]
    [InlineData(" 10.0.0.0/8 ", "10.0.0.0/8")]
    [InlineData("::1", "::1/128")]
    [InlineData("the proxy", null)]
    [InlineData("10.0.0.0/33", null)]
    public void A_trusted_proxy_is_an_address_or_a_network(string entry, string? network) =>
        Assert.Equal(network, TrustedProxies.Parse(entry)?.ToString());
}
