using System.Globalization;
using Atlas.Bot.Feeds;
using Xunit;

namespace Atlas.Bot.Tests.Feeds;

public sealed class FeedParserTests
{
    private const string AzFeedUrl = "https://atlas.az/az/feed/";

    private static ParsedFeed Az => FeedFixtures.Parsed("wordpress-az.xml", feedUrl: AzFeedUrl);

    private static ParsedFeed En => FeedFixtures.Parsed("wordpress-en.xml", feedUrl: "https://atlas.az/en/feed/");

    [Fact]
    public void A_wordpress_feed_yields_its_channel_and_items_in_document_order()
    {
        var feed = Az;

        Assert.Equal("Atlas Araşdırmalar Mərkəzi", feed.Title);
        Assert.Equal("https://atlas.az/az", feed.Link);
        Assert.Equal(
            ["Cənubi Qafqazda sülh gündəliyi: Bakı ilə İrəvan arasında növbəti mərhələ", "Xəzər hövzəsində enerji dəhlizləri", "Neft & qaz: OPEC+ qərarlarının regiona təsiri"],
            feed.Items.Select(i => i.Title));
    }

    [Fact]
    public void A_guid_that_is_not_a_permalink_is_the_id_and_the_link_stays_the_link()
    {
        var item = Az.Items[0];

        Assert.Equal("https://atlas.az/?p=123", item.Id);
        Assert.Equal("https://atlas.az/az/analiz/cenubi-qafqazda-sulh-gundeliyi/", item.Link);
    }

    [Fact]
    public void An_item_without_guid_is_identified_by_its_absolute_link()
    {
        var item = Az.Items[1];

        Assert.Equal("https://atlas.az/az/analiz/xezer-enerji-dehlizleri/", item.Link);
        Assert.Equal(item.Link, item.Id);
    }

    [Fact]
    public void An_item_without_guid_or_link_is_identified_by_a_hash_of_what_it_says()
    {
        const string Feed = "<rss version=\"2.0\"><channel><item><title>Bir</title><description>Mətn</description></item></channel></rss>";

        var first = Parse(Feed).Items[0].Id;
        var again = Parse(Feed).Items[0].Id;

        Assert.StartsWith("sha256:", first, StringComparison.Ordinal);
        Assert.Equal(first, again);
    }

    [Fact]
    public void Relative_links_in_the_item_and_its_html_are_made_absolute_against_the_feed_url()
    {
        var item = Az.Items[0];

        Assert.Contains("href=\"https://atlas.az/az/hesabatlar/sulh-2026/\"", item.ContentHtml, StringComparison.Ordinal);
        Assert.Equal("https://atlas.az/wp-content/uploads/2026/11/sulh-gundeliyi.jpg", item.ImageUrl);
    }

    [Fact]
    public void Xml_base_on_the_item_takes_precedence_over_the_feed_url()
    {
        var item = En.Items[0];

        Assert.Equal("https://atlas.az/en/analysis/middle-corridor-after-2026/", item.Link);
        Assert.Contains("href=\"https://atlas.az/en/reports/corridor.pdf\"", item.SummaryHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_found_only_in_the_content_becomes_the_item_image()
    {
        Assert.Equal("https://atlas.az/wp-content/uploads/2026/11/opec.png", Az.Items[2].ImageUrl);
    }

    [Theory]
    [InlineData(0, "https://atlas.az/wp-content/uploads/2026/11/corridor.jpg")]
    [InlineData(1, "https://atlas.az/wp-content/uploads/2026/11/energy.jpg")]
    public void Declared_media_give_the_image(int index, string expected)
    {
        Assert.Equal(expected, En.Items[index].ImageUrl);
    }

    [Fact]
    public void Html_entities_outside_cdata_are_repaired_not_fatal()
    {
        var item = Az.Items[0];

        Assert.Equal("Sülh sazişinin mətni razılaşdırılıb,\u00a0lakin imzalanma tarixi hələ də açıq qalır…", item.SummaryHtml);
    }

    [Fact]
    public void A_bare_ampersand_in_a_title_is_kept_as_an_ampersand()
    {
        Assert.Equal("Neft & qaz: OPEC+ qərarlarının regiona təsiri", Az.Items[2].Title);
    }

    [Fact]
    public void Markup_in_a_title_is_reduced_to_text()
    {
        Assert.Equal("The Middle Corridor after 2026: risks & opportunities", En.Items[0].Title);
    }

    [Theory]
    [InlineData(0, "Elçin Məmmədov")]
    [InlineData(1, "Aygün Əliyeva")]
    public void Dc_creator_is_the_author(int index, string author)
    {
        Assert.Equal(author, Az.Items[index].Author);
    }

    [Fact]
    public void An_rss_author_address_gives_way_to_the_name()
    {
        Assert.Equal("Murad Aliyev", En.Items[1].Author);
    }

    [Fact]
    public void A_date_without_a_zone_is_read_in_asia_baku()
    {
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T14:30:00Z", CultureInfo.InvariantCulture), En.Items[0].Published);
    }

    [Fact]
    public void Pub_dates_become_instants()
    {
        Assert.Equal(DateTimeOffset.Parse("2026-11-16T10:30:00Z", CultureInfo.InvariantCulture), Az.Items[1].Published);
    }

    [Fact]
    public void A_repeated_guid_keeps_the_first_item_and_warns()
    {
        var feed = Az;

        Assert.Single(feed.Items, i => i.Id == "https://atlas.az/?p=118");
        Assert.Equal("Neft & qaz: OPEC+ qərarlarının regiona təsiri", feed.Items.Single(i => i.Id == "https://atlas.az/?p=118").Title);
        var warning = Assert.Single(feed.Warnings);
        Assert.Contains("https://atlas.az/?p=118", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wordpress-ru-windows-1251.xml", null)]
    [InlineData("wordpress-ru-utf8-declared-windows-1251.xml", "windows-1251")]
    [InlineData("wordpress-ru-koi8-r-undeclared.xml", "koi8-r")]
    public void Russian_feeds_parse_in_any_of_their_encodings(string fixture, string? httpCharset)
    {
        var feed = FeedFixtures.Parsed(fixture, httpCharset);

        var item = Assert.Single(feed.Items);
        Assert.Equal("Южный Кавказ: новая архитектура безопасности", item.Title);
        Assert.Equal("Андрей Соколов", item.Author);
        Assert.Contains("Ёмкий обзор", item.ContentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void An_html_page_is_unreadable_as_not_a_feed()
    {
        var result = FeedFixtures.Read("not-a-feed.html");

        Assert.Equal(new FeedParseResult.Unreadable("not a feed: <html> page"), result);
    }

    [Fact]
    public void An_external_entity_is_never_resolved()
    {
        var feed = FeedFixtures.Parsed("external-entity.xml");

        var item = Assert.Single(feed.Items);
        Assert.DoesNotContain("root:", item.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", item.SummaryHtml ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<rss version=\"2.0\"><channel><title>A</title><item><title>B</title></channel>", "not well-formed XML at line 1")]
    [InlineData("just some words", "not well-formed XML at line 1")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "not a feed: <svg> document")]
    [InlineData("", "empty document")]
    public void Unreadable_documents_say_why_in_plain_words(string document, string reason)
    {
        Assert.Equal(new FeedParseResult.Unreadable(reason), FeedParser.Parse(document, null, FeedFixtures.Baku));
    }

    [Fact]
    public void A_truncated_feed_keeps_its_complete_items()
    {
        const string Truncated = "<rss version=\"2.0\"><channel><title>A</title><item><title>One</title></item><item><title>Tw";

        var feed = Parse(Truncated);

        Assert.Equal("A", feed.Title);
        Assert.Equal("One", Assert.Single(feed.Items).Title);
    }

    [Fact]
    public void An_atom_feed_written_with_a_namespace_prefix_reads_like_any_atom_feed()
    {
        const string Prefixed =
            """
            <?xml version="1.0" encoding="utf-8"?>
            <atom:feed xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <atom:title>Atlas</atom:title>
              <atom:link href="https://atlas.az/en/" rel="alternate"/>
              <atom:entry>
                <atom:title>Caspian energy corridors</atom:title>
                <atom:link href="https://atlas.az/en/caspian/" rel="alternate"/>
                <atom:id>urn:atlas:42</atom:id>
                <atom:updated>2026-11-28T10:00:00+04:00</atom:updated>
                <atom:summary type="html">&lt;p&gt;Pipelines &amp;amp; ports.&lt;/p&gt;</atom:summary>
                <dc:creator>Leyla Mammadova</dc:creator>
              </atom:entry>
            </atom:feed>
            """;

        var feed = Parse(Prefixed);

        Assert.Equal(("Atlas", "https://atlas.az/en/"), (feed.Title, feed.Link));
        var item = Assert.Single(feed.Items);
        Assert.Equal(
            ("Caspian energy corridors", "https://atlas.az/en/caspian/", "urn:atlas:42", "Leyla Mammadova", new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero)),
            (item.Title, item.Link, item.Id, item.Author, item.Published?.ToUniversalTime()));
        Assert.Contains("Pipelines &amp; ports.", item.SummaryHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_feed_is_read_too()
    {
        const string Json = """{"version":"https://jsonfeed.org/version/1.1","title":"Atlas","items":[{"id":"1","url":"https://atlas.az/a/","title":"Təhlil","content_html":"<p><img src=\"/i.jpg\"></p>","date_published":"2026-11-20T10:00:00+04:00"}]}""";

        var item = Assert.Single(Parse(Json).Items);

        Assert.Equal("1", item.Id);
        Assert.Equal("https://atlas.az/i.jpg", item.ImageUrl);
        Assert.Equal(DateTimeOffset.Parse("2026-11-20T06:00:00Z", CultureInfo.InvariantCulture), item.Published);
    }

    private static ParsedFeed Parse(string document) =>
        Assert.IsType<FeedParseResult.Parsed>(FeedParser.Parse(document, new Uri("https://atlas.az/feed/"), FeedFixtures.Baku)).Feed;
}
