using System.Net;
using System.Text;
using Atlas.Bot.Feeds;
using Atlas.Bot.Feeds.WebSub;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atlas.Bot.Tests.Feeds.WebSub;

/// <summary>Discovery end to end: the feed response's Link headers and the document's links, through the fetcher and the source.</summary>
public sealed class FetchedLinksTests
{
    private const string Feed = "https://atlas.az/en/feed/";

    private const string RssWithHub = """
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Atlas</title>
        <atom:link rel="hub" href="https://feed-hub.example/"/><atom:link rel="self" href="https://atlas.az/en/feed/?self"/></channel></rss>
        """;

    private const string RssWithoutLinks = """<rss version="2.0"><channel><title>Atlas</title></channel></rss>""";

    [Fact]
    public async Task The_responses_link_headers_are_kept_resolved_against_the_url_that_answered()
    {
        var network = new LinkedSite(RssWithoutLinks, "</websub>; rel=\"hub\", <feed/atom/>; rel=\"self\"", "<https://second-hub.example/>; rel=hub");

        var fresh = Assert.IsType<FetchResult.Fresh>(await Fetcher(network).FetchAsync(Feed, null, default));

        Assert.Equal([new Uri("https://atlas.az/websub"), new Uri("https://second-hub.example/")], fresh.WebSub.Hubs);
        Assert.Equal(new Uri("https://atlas.az/en/feed/feed/atom/"), fresh.WebSub.Self);
    }

    [Fact]
    public async Task A_response_without_link_headers_names_no_links()
    {
        var fresh = Assert.IsType<FetchResult.Fresh>(await Fetcher(new LinkedSite(RssWithHub)).FetchAsync(Feed, null, default));

        Assert.Same(WebSubLinks.None, fresh.WebSub);
    }

    [Fact]
    public async Task A_read_feed_carries_the_topic_its_header_links_name_over_its_own()
    {
        var network = new LinkedSite(RssWithHub, "<https://header-hub.example/>; rel=hub, <https://atlas.az/en/feed/?header>; rel=self");

        var parsed = Assert.IsType<FeedReadResult.Parsed>(await Source(network).ReadAsync(Feed, null, FeedFixtures.Baku, default));

        Assert.Equal(new Uri("https://atlas.az/en/feed/?header"), parsed.WebSub!.Topic);
        Assert.Equal([new Uri("https://header-hub.example/")], parsed.WebSub.Hubs);
    }

    [Fact]
    public async Task A_read_feed_carries_the_topic_its_document_names_without_headers()
    {
        var parsed = Assert.IsType<FeedReadResult.Parsed>(await Source(new LinkedSite(RssWithHub)).ReadAsync(Feed, null, FeedFixtures.Baku, default));

        Assert.Equal(new Uri("https://atlas.az/en/feed/?self"), parsed.WebSub!.Topic);
        Assert.Equal([new Uri("https://feed-hub.example/")], parsed.WebSub.Hubs);
    }

    [Fact]
    public async Task A_read_feed_without_a_hub_carries_no_topic()
    {
        var parsed = Assert.IsType<FeedReadResult.Parsed>(await Source(new LinkedSite(RssWithoutLinks)).ReadAsync(Feed, null, FeedFixtures.Baku, default));

        Assert.Null(parsed.WebSub);
    }

    private static FeedFetcher Fetcher(HttpMessageHandler network) =>
        new(new HttpClient(network), Options.Create(new FetchOptions()), new FakeTimeProvider(), NullLogger<FeedFetcher>.Instance);

    private static FeedSource Source(HttpMessageHandler network) => new(Fetcher(network), Options.Create(new FetchOptions()));

    /// <summary>Answers every request with one RSS document and the given Link header lines.</summary>
    private sealed class LinkedSite(string body, params string[] links) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK)
            {
                RequestMessage = request,
                Content = new StringContent(body, Encoding.UTF8, "application/rss+xml"),
            };
            foreach (var link in links)
            {
                response.Headers.TryAddWithoutValidation("Link", link);
            }

            return Task.FromResult(response);
        }
    }
}
