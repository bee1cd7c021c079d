using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Tests.Feeds;
using Xunit.Abstractions;

namespace Atlas.Bot.Tests.Posts;

/// <summary>
/// Random hostile titles and summaries (seeded, so a failure replays) through the whole path: FeedParser, then
/// PostFormatter, then Telegram's HTML parser (<see cref="TelegramHtmlAssert"/>) to get the text a reader sees.
/// </summary>
/// <remarks>
/// The rule held: a reader never sees a character reference ("&amp;euro;", "&amp;#8230;") as text, except where the feed
/// escaped it once more than its HTML needed, which is how an author writes those characters on purpose: "&amp;amp;euro;" in
/// HTML (or "&amp;euro;" in a plain-text field, or in HTML escaped a second time that holds no markup) reads "&amp;euro;".
/// Such references are the only ones allowed through, at most as often as the feed wrote them. A reference to no character
/// (&amp;#0;, a surrogate such as &amp;#xD800;, &amp;#x110000;) becomes U+FFFD, as browsers show it; the checker also
/// fails any lone surrogate or markup Telegram would refuse.
/// </remarks>
public sealed partial class HostileFeedTextTests(ITestOutputHelper output)
{
    private const int Seed = 20_261_111;
    private const int Documents = 240;

    // Named references from the HTML5 list: HTML4's, and some only HTML5 defines (check, bigstar, NewLine).
    private static readonly string[] Names =
    [
        "euro", "laquo", "raquo", "hellip", "nbsp", "mdash", "ndash", "copy", "reg", "trade", "amp", "lt", "gt", "quot",
        "apos", "check", "bigstar", "rarr", "hearts", "NewLine", "shy",
    ];

    // Numeric references, valid and not: NUL, surrogates, beyond Unicode, a C1 code windows-1252 maps, an emoji, overflow.
    private static readonly string[] Numbers =
    [
        "#8230", "#x2026", "#x110000", "#0", "#x0", "#xD800", "#xDFFF", "#55296", "#128", "#x1F600", "#65", "#99999999999",
    ];

    private static readonly string[] Words = ["Baku", "energy", "corridor", "a < b", "x > y", "Q&A", "AT&T", "50%", "\"quoted\"", "it's"];

    private static readonly (string Open, string Close)[] Wrappers =
    [
        ("<p>", "</p>"), ("<b>", "</b>"), ("<em>", "</em>"), ("<span class=\"x\">", "</span>"), ("<div>", "</div>"),
        ("<script>", "</script>"), ("<style>", "</style>"), ("<![CDATA[", "]]>"), ("<p>", string.Empty), (string.Empty, string.Empty),
    ];

    private enum Envelope
    {
        RssEscaped,
        RssCdata,
        RssEscapedTwiceMarkup,
        RssEscapedTwiceText,
        AtomHtml,
        AtomHtmlCdata,
        AtomUntypedMarkup,
    }

    [Fact]
    public void No_post_made_from_240_random_hostile_titles_and_summaries_shows_a_reference_the_feed_did_not_escape_on_purpose()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        for (var n = 0; n < Documents; n++)
        {
            var (titleEnvelope, bodyEnvelope) = (Pick(random, Enum.GetValues<Envelope>()), Pick(random, Enum.GetValues<Envelope>()));
            var title = Hostile(random, titleEnvelope);
            var body = Hostile(random, bodyEnvelope);
            var document = Document(random.Next(2) == 0, title, body);

            var visible = Visible(document);
            var leaked = Leaks(visible, title.Allowed.Concat(body.Allowed));
            if (leaked.Count > 0)
            {
                failures.Add($"#{n} (title {titleEnvelope}, summary {bodyEnvelope}): shows {string.Join(" ", leaked)}\n  visible: {visible}\n  document: {document}");
            }
        }

        output.WriteLine($"references shown that the feed did not escape on purpose: in {failures.Count} of {Documents} posts");
        failures.ForEach(output.WriteLine);
        Assert.True(failures.Count == 0, $"{failures.Count} of {Documents} posts show a reference as text:\n{string.Join("\n", failures.Take(10))}");
    }

    [Theory]
    [InlineData("&#x110000;")]
    [InlineData("&#0;")]
    [InlineData("&#xD800;")]
    [InlineData("&#xDFFF;")]
    [InlineData("&#99999999999;")]
    public void A_reference_to_no_character_reads_as_the_replacement_character_in_titles_and_summaries(string reference)
    {
        foreach (var html in new[] { reference, $"<b>{reference}</b>" })
        {
            var escaped = SecurityElement.Escape(html);
            var visible = Visible($"""<rss version="2.0"><channel><title>F</title><item><title>x {escaped} y</title><description>x {escaped} y</description></item></channel></rss>""");

            Assert.Equal("x \uFFFD y\n\nx \uFFFD y", visible);
        }
    }

    /// <summary>The text a reader sees: the post's HTML as Telegram parses it (which also fails on markup Telegram refuses).</summary>
    private static string Visible(string document)
    {
        var parsed = Assert.IsType<FeedParseResult.Parsed>(FeedParser.Parse(document, new Uri("https://atlas.example/feed/"), FeedFixtures.Baku));
        var post = PostFormatter.Format(Assert.Single(parsed.Feed.Items) with { Published = null }, "en", FeedFixtures.Baku);
        var visible = TelegramHtmlAssert.ValidWithin(post.TextHtml, PostFormatter.TextLimit);
        Assert.DoesNotContain('\0', visible);
        return visible;
    }

    /// <summary>References in <paramref name="visible"/> beyond those the feed escaped on purpose.</summary>
    private static List<string> Leaks(string visible, IEnumerable<string> allowed)
    {
        var budget = allowed.GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var leaked = new List<string>();
        foreach (var reference in Reference().Matches(visible).Select(m => m.Value))
        {
            if (budget.TryGetValue(reference, out var left) && left > 0)
            {
                budget[reference] = left - 1;
            }
            else
            {
                leaked.Add(reference);
            }
        }

        return leaked;
    }

    /// <summary>One hostile field: the XML that carries it, and the references a reader may see because it escaped them on purpose.</summary>
    private static Field Hostile(Random random, Envelope envelope)
    {
        var html = new StringBuilder();
        var allowed = new List<string>();
        var markup = envelope is not Envelope.RssEscapedTwiceText;
        for (var segment = random.Next(1, 5); segment > 0; segment--)
        {
            var (open, close) = markup ? Pick(random, Wrappers) : (string.Empty, string.Empty);
            html.Append(open);
            for (var atom = random.Next(1, 5); atom > 0; atom--)
            {
                html.Append(Atom(random, allowed)).Append(' ');
            }

            html.Append(close).Append(' ');
        }

        var fragment = html.ToString().Trim();
        if (envelope is Envelope.RssEscapedTwiceText)
        {
            // HTML escaped twice around text without markup: every reference in that text was written on purpose.
            allowed.AddRange(Reference().Matches(fragment).Select(m => m.Value));
        }

        return envelope switch
        {
            Envelope.RssEscaped => new(SecurityElement.Escape(fragment), null, allowed),
            Envelope.RssCdata => new(Cdata(fragment), null, allowed),
            // Escaped markup in CDATA: "&lt;p&gt;…" whose text is HTML that reads as such once more.
            Envelope.RssEscapedTwiceMarkup => new(Cdata(WebUtility.HtmlEncode($"<p>{fragment}</p>")), null, allowed),
            Envelope.RssEscapedTwiceText => new(Cdata(WebUtility.HtmlEncode(fragment)), null, allowed),
            Envelope.AtomHtml => new(SecurityElement.Escape(fragment), "html", allowed),
            Envelope.AtomHtmlCdata => new(Cdata(fragment), "html", allowed),
            // No type, as FeedReader's AtomAdobe.xml: read as HTML because it evidently is.
            _ => new(Cdata($"<div>{fragment}</div>"), string.Empty, allowed),
        };
    }

    /// <summary>A word, a reference, or a reference escaped on purpose (recorded in <paramref name="allowed"/> as the reader sees it).</summary>
    private static string Atom(Random random, List<string> allowed)
    {
        var reference = random.Next(2) == 0 ? Pick(random, Names) : Pick(random, Numbers);
        switch (random.Next(4))
        {
            case 0:
                return Pick(random, Words);
            case 1:
                allowed.Add($"&{reference};");
                return $"&amp;{reference};";
            default:
                return $"&{reference};";
        }
    }

    private static string Document(bool atom, Field title, Field body)
    {
        if (!atom)
        {
            return $"""<rss version="2.0"><channel><title>F</title><item><title>{title.Xml}</title><description>{body.Xml}</description></item></channel></rss>""";
        }

        return $"""<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry><id>urn:1</id>{Element("title", title)}{Element("summary", body)}</entry></feed>""";
    }

    /// <summary>An Atom element: an RSS-style field (no type) in Atom is HTML declared as such.</summary>
    private static string Element(string name, Field field)
    {
        var type = field.AtomType ?? "html";
        return type.Length == 0 ? $"<{name}>{field.Xml}</{name}>" : $"""<{name} type="{type}">{field.Xml}</{name}>""";
    }

    private static string Cdata(string text) => "<![CDATA[" + text.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal) + "]]>";

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>What a reader must not see: a complete character reference, named or numeric.</summary>
    [GeneratedRegex("&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    /// <param name="AtomType">The type attribute in an Atom feed: null for RSS-only envelopes (written as type="html"), "" for none.</param>
    private sealed record Field(string Xml, string? AtomType, List<string> Allowed);
}
