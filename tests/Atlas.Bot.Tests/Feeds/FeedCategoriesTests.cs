using System.Globalization;
using Atlas.Bot.Feeds;

namespace Atlas.Bot.Tests.Feeds;

/// <summary>An item's categories (its topics) as the parser reads them from RSS, Atom, Dublin Core and JSON Feed.</summary>
public sealed class FeedCategoriesTests
{
    [Fact]
    public void Rss_categories_and_dc_subject_are_read_decoded_trimmed_in_document_order_each_spelling_once()
    {
        var item = FeedFixtures.Parsed("categories-rss.xml").Items[0];

        Assert.Equal(
            ["Energy", "South Caucasus", "Geopolitics", "energy", "Oil & Gas <2026>", "Peace & Security", "Neft – qaz"],
            item.Categories);
    }

    [Fact]
    public void An_item_without_categories_has_none()
    {
        var item = FeedFixtures.Parsed("categories-rss.xml").Items[1];

        Assert.Empty(item.Categories);
    }

    [Fact]
    public void Atom_categories_are_their_label_else_their_term_beside_dc_subject()
    {
        var item = FeedFixtures.Parsed("categories-atom.xml").Items[0];

        Assert.Equal(["Energy & Climate", "caspian-region", "Regional Security", "economy"], item.Categories);
    }

    [Fact]
    public void An_atom_feed_written_with_a_prefix_keeps_its_categories()
    {
        const string Feed =
            """
            <atom:feed xmlns:atom="http://www.w3.org/2005/Atom"><atom:title>A</atom:title>
            <atom:entry><atom:id>urn:1</atom:id><atom:title>One</atom:title><atom:category term="energy" label="Energy"/></atom:entry>
            </atom:feed>
            """;

        Assert.Equal(["Energy"], Parse(Feed).Items[0].Categories);
    }

    [Fact]
    public void An_item_with_500_categories_keeps_them_all()
    {
        var categories = string.Concat(Enumerable.Range(1, 500).Select(i => $"<category>Topic {i.ToString(CultureInfo.InvariantCulture)}</category>"));
        var feed = $"<rss version=\"2.0\"><channel><title>A</title><item><guid>1</guid><title>One</title>{categories}</item></channel></rss>";

        var item = Parse(feed).Items[0];

        Assert.Equal(500, item.Categories.Count);
        Assert.Equal(("Topic 1", "Topic 500"), (item.Categories[0], item.Categories[^1]));
    }

    [Theory]
    [InlineData("""{"version":"https://jsonfeed.org/version/1.1","title":"A","items":[{"id":"1","title":"One","content_text":"x","tags":[" Energy ","energy","Energy",""]}]}""")]
    [InlineData("""{"version":"1.1","title":"A","items":[{"title":"One","content_text":"x","tags":[" Energy ","energy","Energy",""],}]}""")]
    public void Json_feed_tags_are_categories_whichever_reader_takes_the_feed(string feed)
    {
        Assert.Equal(["Energy", "energy"], Parse(feed).Items[0].Categories);
    }

    private static ParsedFeed Parse(string feed) =>
        Assert.IsType<FeedParseResult.Parsed>(FeedParser.Parse(feed, new Uri("https://atlas.az/feed/"), FeedFixtures.Baku)).Feed;
}
