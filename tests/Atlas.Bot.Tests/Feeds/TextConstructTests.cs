using Atlas.Bot.Feeds;

namespace Atlas.Bot.Tests.Feeds;

/// <summary>How a field's declared type and its evident content decide whether it is text or HTML, and what its text reads.</summary>
public sealed class TextConstructTests
{
    public static TheoryData<string, string, string?> AtomEntries => new()
    {
        // FeedReader's AtomAdobe.xml: HTML in an untyped <content>, which Atom's default would show as markup.
        { """<title>T</title><content><![CDATA[ <div class="embed"><p>Baku &amp; <b>energy</b></p></div> ]]></content>""", "T", """<div class="embed"><p>Baku &amp; <b>energy</b></p></div>""" },
        { """<title>&lt;b&gt;Bold&lt;/b&gt; move</title><summary>&lt;p&gt;Escaped, untyped&lt;/p&gt;</summary>""", "Bold move", "<p>Escaped, untyped</p>" },
        // Untyped text that merely mentions markup stays text.
        { """<title>a &lt; b, c &gt; d</title><summary>History of the &lt;blink&gt; tag</summary>""", "a < b, c > d", "History of the &lt;blink&gt; tag" },
        { """<title>T</title><summary>Line one&lt;br/&gt;line two</summary>""", "T", "Line one&lt;br/&gt;line two" },
        { """<title>&lt;script&gt;alert(1)&lt;/script&gt;</title><summary>T</summary>""", "<script>alert(1)</script>", "T" },
        // The feed said text in so many words: the characters are what it meant.
        { """<title type="text">&lt;p&gt;Literal&lt;/p&gt;</title><summary type="text">&lt;p&gt;Literal&lt;/p&gt;</summary>""", "<p>Literal</p>", "&lt;p&gt;Literal&lt;/p&gt;" },
        { """<title type="html">&amp;lt;p&amp;gt;Escaped twice&amp;lt;/p&amp;gt;</title><summary type="html">x</summary>""", "Escaped twice", "x" },
    };

    public static TheoryData<string, string, string?> RssItems => new()
    {
        // gofeed's "title cdata escaped markup": HTML escaped twice; read once, a reader would see "<p>Item Title</p>".
        { "<title><![CDATA[&lt;p&gt;Item Title&lt;/p&gt;]]></title>", "Item Title", null },
        { "<title><![CDATA[&lt;p&gt;Item &amp;euro; Title&lt;/p&gt;]]></title>", "Item € Title", null },
        { "<title>x</title><description><![CDATA[&lt;p&gt;Item Description&lt;/p&gt;]]></description>", "x", "<p>Item Description</p>" },
        // Escaped once more than the HTML needs, without markup: the author wrote those characters on purpose.
        { "<title><![CDATA[Price in &amp;euro;]]></title>", "Price in &euro;", null },
        { "<title><![CDATA[Write &lt;b&gt; for bold]]></title>", "Write <b> for bold", null },
        { "<title>x</title><description><![CDATA[<p>Write &lt;b&gt;x&lt;/b&gt;</p>]]></description>", "x", "<p>Write &lt;b&gt;x&lt;/b&gt;</p>" },
        // Entities a reader must never see: raw text of script and style, HTML5-only names, numbers that name no character.
        { "<title>&lt;script&gt;&amp;euro;&lt;/script&gt;&lt;style&gt;&amp;laquo;&lt;/style&gt;Title</title>", "Title", null },
        { "<title><![CDATA[<noembed>&hellip;</noembed><noframes>&hellip;</noframes>Title]]></title>", "Title", null },
        { "<title>&amp;check; &amp;bigstar; &amp;hellip; &amp;nbsp;.</title>", "✓ ★ … .", null },
        { "<title>&amp;#0; &amp;#xD800; &amp;#x110000; &amp;#128;</title>", "\uFFFD \uFFFD \uFFFD €", null },
        { "<title>&lt;![CDATA[&amp;euro;]]&gt; Title</title>", "€ Title", null },
        // Not references: a bare '&', a name HTML does not define, a legacy name without ';' in a query string.
        { "<title>AT&amp;T &amp;foo; ?page=1&amp;copy=2</title>", "AT&T &foo; ?page=1&copy=2", null },
    };

    [Theory]
    [MemberData(nameof(AtomEntries))]
    public void An_atom_fields_declared_type_and_evident_content_decide_how_it_reads(string entry, string title, string? summaryHtml)
    {
        var item = Single($"""<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry><id>urn:1</id>{entry}</entry></feed>""");

        Assert.Equal(title, item.Title);
        Assert.Equal(summaryHtml, item.SummaryHtml ?? item.ContentHtml);
    }

    [Theory]
    [MemberData(nameof(RssItems))]
    public void An_rss_fields_html_reads_as_a_browser_shows_it(string fields, string title, string? summaryHtml)
    {
        var item = Single($"""<rss version="2.0"><channel><title>F</title><item>{fields}</item></channel></rss>""");

        Assert.Equal(title, item.Title);
        Assert.Equal(summaryHtml, item.SummaryHtml);
    }

    private static FeedItem Single(string document) =>
        Assert.Single(Assert.IsType<FeedParseResult.Parsed>(FeedParser.Parse(document, new Uri("https://atlas.az/feed/"), FeedFixtures.Baku)).Feed.Items);
}
