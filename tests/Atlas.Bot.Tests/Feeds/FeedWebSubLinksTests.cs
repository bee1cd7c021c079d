using Atlas.Bot.Feeds;
using Atlas.Bot.Feeds.WebSub;
using Xunit;

namespace Atlas.Bot.Tests.Feeds;

public sealed class FeedWebSubLinksTests
{
    [Fact]
    public void An_rss_channel_names_its_hubs_and_self_with_atom_links()
    {
        var links = FeedFixtures.Parsed("websub-rss.xml").WebSub;

        Assert.Equal([new Uri("https://pubsubhubbub.appspot.com/"), new Uri("https://websub.superfeedr.com/")], links.Hubs);
        Assert.Equal(new Uri("https://atlas.az/en/feed/"), links.Self);
    }

    [Fact]
    public void An_atom_feed_names_its_hubs_and_self_with_links_and_entry_links_do_not_count()
    {
        var links = FeedFixtures.Parsed("websub-atom.xml").WebSub;

        Assert.Equal([new Uri("https://pubsubhubbub.appspot.com/"), new Uri("https://websub.superfeedr.com/")], links.Hubs);
        Assert.Equal(new Uri("https://atlas.az/en/feed/atom/"), links.Self);
    }

    [Fact]
    public void Relative_hub_and_self_links_resolve_against_xml_base()
    {
        var links = FeedFixtures.Parsed("websub-relative.xml", feedUrl: "http://mirror.example/feed").WebSub;

        Assert.Equal([new Uri("https://atlas.az/websub"), new Uri("https://hub.atlas.az/")], links.Hubs);
        Assert.Equal(new Uri("https://atlas.az/en/feed/atom/"), links.Self);
    }

    [Fact]
    public void Relative_links_without_xml_base_resolve_against_the_feeds_url()
    {
        const string rss = """
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Atlas</title>
            <atom:link rel="hub" href="/websub"/><atom:link rel="self" href="?lang=en"/></channel></rss>
            """;

        var links = Parsed(rss, "https://atlas.az/feed/").WebSub;

        Assert.Equal([new Uri("https://atlas.az/websub")], links.Hubs);
        Assert.Equal(new Uri("https://atlas.az/feed/?lang=en"), links.Self);
    }

    [Fact]
    public void A_feed_with_a_self_link_and_no_hub_names_no_hub()
    {
        var feed = FeedFixtures.Parsed("wordpress-az.xml");

        Assert.Empty(feed.WebSub.Hubs);
        Assert.Equal(new Uri("https://atlas.az/az/feed/"), feed.WebSub.Self);
        Assert.Null(HubDiscovery.Discover(WebSubLinks.None, feed.WebSub, new Uri("https://atlas.az/az/feed/")));
    }

    [Fact]
    public void A_feed_without_links_and_a_json_feed_name_none()
    {
        Assert.Same(WebSubLinks.None, FeedFixtures.Parsed("categories-rss.xml").WebSub);
        Assert.Same(WebSubLinks.None, Parsed("""{"version":"https://jsonfeed.org/version/1.1","title":"Atlas","items":[]}""", "https://atlas.az/feed.json").WebSub);
    }

    private static ParsedFeed Parsed(string text, string url) =>
        Assert.IsType<FeedParseResult.Parsed>(FeedParser.Parse(text, new Uri(url), FeedFixtures.Baku)).Feed;
}
