using Atlas.Bot.Feeds.WebSub;
using Xunit;

namespace Atlas.Bot.Tests.Feeds.WebSub;

public sealed class HubDiscoveryTests
{
    private static readonly Uri Fetched = new("https://atlas.az/en/feed/");
    private static readonly Uri HeaderHub = new("https://header-hub.example/");
    private static readonly Uri FeedHub = new("https://feed-hub.example/");
    private static readonly Uri HeaderSelf = new("https://atlas.az/en/feed/?from=header");
    private static readonly Uri FeedSelf = new("https://atlas.az/en/feed/?from=feed");

    [Fact]
    public void The_feeds_own_hub_and_self_make_the_topic()
    {
        var topic = HubDiscovery.Discover(WebSubLinks.None, new([FeedHub], FeedSelf), Fetched);

        Assert.Equal(new WebSubTopic(FeedSelf, [FeedHub]), topic, Same);
    }

    [Fact]
    public void Link_headers_win_over_the_feeds_links()
    {
        var topic = HubDiscovery.Discover(new([HeaderHub], HeaderSelf), new([FeedHub], FeedSelf), Fetched);

        Assert.Equal(new WebSubTopic(HeaderSelf, [HeaderHub]), topic, Same);
    }

    [Fact]
    public void Each_relation_the_headers_leave_out_comes_from_the_feed()
    {
        Assert.Equal(new WebSubTopic(FeedSelf, [HeaderHub]), HubDiscovery.Discover(new([HeaderHub], null), new([FeedHub], FeedSelf), Fetched), Same);
        Assert.Equal(new WebSubTopic(HeaderSelf, [FeedHub]), HubDiscovery.Discover(new([], HeaderSelf), new([FeedHub], FeedSelf), Fetched), Same);
    }

    [Fact]
    public void Every_hub_is_kept_in_order()
    {
        var second = new Uri("http://second-hub.example/");

        var topic = HubDiscovery.Discover(WebSubLinks.None, new([FeedHub, second], FeedSelf), Fetched);

        Assert.Equal([FeedHub, second], topic!.Hubs);
    }

    [Fact]
    public void Without_a_self_link_the_fetched_url_is_the_topic() =>
        Assert.Equal(Fetched, HubDiscovery.Discover(WebSubLinks.None, new([FeedHub], null), Fetched)!.Topic);

    [Fact]
    public void No_hub_means_no_topic()
    {
        Assert.Null(HubDiscovery.Discover(WebSubLinks.None, WebSubLinks.None, Fetched));
        Assert.Null(HubDiscovery.Discover(new([], HeaderSelf), new([], FeedSelf), Fetched));
    }

    [Fact]
    public void Hubs_that_are_not_http_are_ignored_and_header_ones_do_not_hide_the_feeds()
    {
        var mailto = new Uri("mailto:hub@example.org");
        var ftp = new Uri("ftp://hub.example/");

        Assert.Null(HubDiscovery.Discover(WebSubLinks.None, new([mailto, ftp], FeedSelf), Fetched));
        Assert.Equal([FeedHub], HubDiscovery.Discover(new([ftp], null), new([mailto, FeedHub], FeedSelf), Fetched)!.Hubs);
    }

    [Fact]
    public void A_topic_that_is_not_http_means_no_subscription()
    {
        Assert.Null(HubDiscovery.Discover(WebSubLinks.None, new([FeedHub], null), new Uri("file:///srv/feeds/atlas.xml")));
        Assert.Null(HubDiscovery.Discover(WebSubLinks.None, new([FeedHub], new Uri("tag:atlas.az,2025:feed")), Fetched));
        Assert.Null(HubDiscovery.Discover(WebSubLinks.None, new([FeedHub], null), null));
    }

    private static readonly Func<WebSubTopic?, WebSubTopic?, bool> Same = (a, b) =>
        a is not null && b is not null && a.Topic == b.Topic && a.Hubs.SequenceEqual(b.Hubs);
}
