using Atlas.Bot.Commands;
using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.EndToEnd;
using Atlas.Bot.Tests.Feeds.Fake;
using Microsoft.Extensions.DependencyInjection;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

/// <summary>/preview &lt;url&gt; reaches public addresses only, unless Fetch__AllowPrivateAddresses; configured feeds are trusted.</summary>
public sealed class PreviewAddressTests : IAsyncLifetime
{
    private FeedServer _feeds = null!;

    public async Task InitializeAsync()
    {
        _feeds = await FeedServer.StartAsync();
        _feeds.Publish("/feed.xml", WordPressFeed.Rss(new Article(1)));
        _feeds.Redirect("/moved", "/feed.xml");
    }

    public async Task DisposeAsync() => await _feeds.DisposeAsync();

    [Theory]
    [InlineData("http://127.0.0.1:{port}/feed.xml", "127.0.0.1 is")]
    [InlineData("http://localhost:{port}/feed.xml", "localhost resolves to")]
    [InlineData("http://[::1]:{port}/feed.xml", "::1 is")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/feed.xml", "::ffff:127.0.0.1 is")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is")]
    [InlineData("http://10.1.2.3/feed", "10.1.2.3 is")]
    [InlineData("https://192.168.0.1/feed", "192.168.0.1 is")]
    public async Task Preview_refuses_an_address_that_is_not_public_and_says_why(string url, string what)
    {
        await using var bot = await CommandHarness.StartAsync();

        await bot.SendAsync(Text(CommandHarness.Admin, "/preview " + url.Replace("{port}", _feeds.Url("/").Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));

        var reply = Assert.Single(await bot.RepliesAsync()).Text;
        Assert.StartsWith(BotTexts.Get("en", TextNames.PreviewFailed, $"refused: {what}"), reply, StringComparison.Ordinal);
        Assert.EndsWith("not a public address (Fetch__AllowPrivateAddresses=true allows it)", reply, StringComparison.Ordinal);
        Assert.Equal(0, _feeds.RequestCount("/feed.xml"));
    }

    [Theory]
    [InlineData("/feed.xml")]
    [InlineData("/moved")]
    public async Task With_private_addresses_allowed_preview_reads_them(string path)
    {
        await using var bot = await CommandHarness.StartAsync(services => services.Configure<FetchOptions>(fetch => fetch.AllowPrivateAddresses = true));

        await bot.SendAsync(Text(CommandHarness.Admin, "/preview " + _feeds.Url(path).AbsoluteUri));

        Assert.Contains(new Article(1).Title, Assert.Single(await bot.RepliesAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_feed_on_a_private_address_is_trusted_as_it_is()
    {
        var url = _feeds.Url("/feed.xml").AbsoluteUri;
        await using var bot = await CommandHarness.StartAsync(services => services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new FeedsOptions
        {
            Feeds = [new FeedOptions { Id = "local", Url = url, Language = "en", Channels = ["@atlas_en"] }],
        })));

        await bot.SendAsync(Text(CommandHarness.Admin, "/preview local"));
        await bot.SendAsync(Text(CommandHarness.OtherAdmin, "/preview " + url));

        Assert.All(await bot.RepliesAsync(), reply => Assert.Contains(new Article(1).Title, reply.Text, StringComparison.Ordinal));
        Assert.Equal(2, _feeds.RequestCount("/feed.xml"));
    }
}
