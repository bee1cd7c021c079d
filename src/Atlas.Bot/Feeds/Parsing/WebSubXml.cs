using System.Xml.Linq;
using Atlas.Bot.Feeds.WebSub;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// The feed-level WebSub links of an XML feed: <c>&lt;atom:link rel="hub|self" href&gt;</c> inside an RSS channel, or
/// <c>&lt;link rel="hub|self" href&gt;</c> on an Atom feed; item-level links are about items and are not read.
/// </summary>
internal static class WebSubXml
{
    public static WebSubLinks Read(XElement? channel, Uri? documentUri)
    {
        if (channel is null)
        {
            return WebSubLinks.None;
        }

        // RSS's own <link> is text; only links with an href carry a relation. Some RSS feeds write the Atom link
        // without its namespace: the same element to a reader, so it counts too.
        var links = FeedXml.OwnAll(channel, "link")
            .Where(l => l.Attribute("rel") is not null && FeedXml.Attribute(l, "href") is not null)
            .Select(l => (Target: Absolute(XmlBase.Resolve(l.Attribute("href")!.Value, l, documentUri)), Rels: Rels(l)))
            .Where(l => l.Target is not null)
            .Select(l => (l.Target!, (IEnumerable<string>)l.Rels));
        return WebSubLinks.From(links);
    }

    private static Uri? Absolute(string? url) =>
        url is not null && XmlBase.IsAbsolute(url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;

    private static string[] Rels(XElement link) =>
        link.Attribute("rel")!.Value.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
}
