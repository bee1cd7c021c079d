using System.Globalization;
using Atlas.Bot.Feeds;
using Atlas.Bot.Feeds.Parsing;
using Xunit;
using CodeHollowReader = CodeHollow.FeedReader.FeedReader;

namespace Atlas.Bot.Tests.Feeds;

/// <summary>
/// CodeHollow.FeedReader yields the feed and its items; FeedParser normalises its values and overrides them where
/// they are wrong for a documented reason.
/// </summary>
public sealed class CodeHollowPathTests
{
    private static readonly Uri FeedUrl = new("https://atlas.az/feed/");

    [Fact]
    public void The_items_and_their_fields_are_the_ones_codehollow_read()
    {
        var feed = CodeHollowReader.ReadFromString(
            "<rss version=\"2.0\"><channel><title>Atlas</title><item><title>Bir</title><link>/a/</link><guid>1</guid><pubDate>Fri, 20 Nov 2026 10:00:00 +0400</pubDate></item></channel></rss>");
        feed.Title = "Atlas Center";
        feed.Items[0].Title = "Birinci";
        feed.Items[0].Id = "one";
        feed.Items[0].PublishingDateString = "Sat, 21 Nov 2026 10:00:00 +0400";

        var parsed = XmlFeedMapping.Map(feed, FeedUrl, FeedFixtures.Baku);

        Assert.Equal("Atlas Center", parsed.Title);
        var item = Assert.Single(parsed.Items);
        Assert.Equal(("Birinci", "one", "https://atlas.az/a/"), (item.Title, item.Id, item.Link));
        Assert.Equal(DateTimeOffset.Parse("2026-11-21T06:00:00Z", CultureInfo.InvariantCulture), item.Published);
    }

    [Theory]
    [InlineData("""<rss version="0.91"><channel><title>Atlas</title><link>https://atlas.az/</link><item><title>Bir</title><link>/az/bir/</link><description>Mətn</description></item></channel></rss>""", "https://atlas.az/az/bir/")]
    [InlineData("""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://atlas.az/"><title>Atlas</title><link>https://atlas.az/</link></channel><item rdf:about="https://atlas.az/az/bir/"><title>Bir</title><link>/az/bir/</link><description>Mətn</description><dc:creator>Elçin Məmmədov</dc:creator></item></rdf:RDF>""", "https://atlas.az/az/bir/")]
    public void Rss_091_and_rss_10_feeds_read_through_codehollow_match_the_document(string document, string id)
    {
        var feed = Parse(document);

        Assert.Equal(("Atlas", "https://atlas.az/"), (feed.Title, feed.Link));
        var item = Assert.Single(feed.Items);
        Assert.Equal(("Bir", "https://atlas.az/az/bir/", "Mətn", id), (item.Title, item.Link, item.SummaryHtml, item.Id));
    }

    [Fact]
    public void Markup_written_as_text_in_content_stays_text()
    {
        // CodeHollow HTML-decodes content:encoded once more, which would turn the escaped tag into a real one.
        const string Document = """<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><title>T</title><content:encoded><![CDATA[<p>Write &lt;b&gt; for bold</p>]]></content:encoded></item></channel></rss>""";

        Assert.Equal("<p>Write &lt;b&gt; for bold</p>", Assert.Single(Parse(Document).Items).ContentHtml);
    }

    [Fact]
    public void Spaces_between_inline_elements_of_xhtml_content_survive()
    {
        const string Document = """<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>urn:1</id><title>T</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>Baku</b> <i>Tbilisi</i></div></content></entry></feed>""";

        Assert.Equal("<b>Baku</b> <i>Tbilisi</i>", Assert.Single(Parse(Document).Items).ContentHtml);
    }

    [Fact]
    public void An_atom_author_is_the_name_without_the_address()
    {
        const string Document = """<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><id>urn:1</id><title>T</title><author><name>Murad Aliyev</name><email>murad@atlas.az</email></author></entry></feed>""";

        Assert.Equal("Murad Aliyev", Assert.Single(Parse(Document).Items).Author);
    }

    [Fact]
    public void A_json_feed_item_without_authors_takes_the_feeds_as_the_spec_says()
    {
        const string Json = """{"version":"https://jsonfeed.org/version/1.1","title":"Atlas","authors":[{"name":"Atlas Center"}],"items":[{"id":"1","title":"Bir","content_text":"a < b"}]}""";

        var item = Assert.Single(Parse(Json).Items);

        Assert.Equal("Atlas Center", item.Author);
        Assert.Equal("a &lt; b", item.ContentHtml);
    }

    [Theory]
    [InlineData("""{"version":"1.1","items":[{"id":"1","title":"Bir"}]}""")]
    [InlineData("""{"version":"https://jsonfeed.org/version/1.1","items":[{"title":"Bir","url":"https://atlas.az/bir/"}]}""")]
    [InlineData("""{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"Bir"},]}""")]
    public void Json_feeds_codehollow_turns_away_are_still_read(string json)
    {
        Assert.Equal("Bir", Assert.Single(Parse(json).Items).Title);
    }

    [Theory]
    [InlineData("<rss version=\"2.0\"></rss>")]
    [InlineData("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\"/>")]
    public void A_feed_without_a_channel_is_empty_not_a_crash(string document)
    {
        Assert.Empty(Parse(document).Items);
    }

    private static ParsedFeed Parse(string document) =>
        Assert.IsType<FeedParseResult.Parsed>(FeedParser.Parse(document, FeedUrl, FeedFixtures.Baku)).Feed;
}
