using System.Xml.Linq;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>The links of a channel, feed or item: RSS's text link, Atom's link elements, a permalink guid.</summary>
internal static class ItemLinks
{
    public static string? Alternate(XElement parent, Uri? documentUri)
    {
        var links = FeedXml.OwnAll(parent, "link").ToList();
        var rssLink = links.FirstOrDefault(l => l.Attribute("href") is null && !string.IsNullOrWhiteSpace(l.Value));
        if (rssLink is not null)
        {
            return XmlBase.Resolve(rssLink.Value, rssLink, documentUri);
        }

        var alternate = links
            .Where(l => l.Attribute("href") is not null && Rel(l) is "alternate")
            .OrderBy(l => (l.Attribute("type")?.Value ?? "text/html").Contains("html", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .FirstOrDefault();
        return alternate is null ? null : XmlBase.Resolve(alternate.Attribute("href")!.Value, alternate, documentUri);
    }

    /// <summary>
    /// <paramref name="link"/> (a link CodeHollow picked) made absolute against the base of the element it came from, when
    /// that element is an RSS text link or an Atom alternate link; null otherwise. CodeHollow falls back to any Atom link
    /// (self, replies, enclosure) when none is an alternate, and none of those is the page.
    /// </summary>
    public static string? Resolve(string? link, XElement parent, Uri? documentUri)
    {
        var value = link?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var source = FeedXml.OwnAll(parent, "link").FirstOrDefault(l =>
            l.Attribute("href") is { } href ? href.Value.Trim() == value && Rel(l) is "alternate" : l.Value.Trim() == value);
        return source is null ? null : XmlBase.Resolve(value, source, documentUri);
    }

    /// <summary>
    /// <paramref name="url"/> (an enclosure CodeHollow read) made absolute against the base of its element, else the
    /// enclosure the XML declares.
    /// </summary>
    public static string? Enclosure(string? url, XElement item, Uri? documentUri)
    {
        var value = url?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return Enclosure(item, documentUri);
        }
        var source = item.Elements().FirstOrDefault(e => e.Name.LocalName is "enclosure" or "link"
            && (e.Attribute("url") ?? e.Attribute("href"))?.Value.Trim() == value);
        return XmlBase.Resolve(value, source ?? item, documentUri);
    }

    public static string? Enclosure(XElement item, Uri? documentUri)
    {
        var rss = FeedXml.OwnAll(item, "enclosure").FirstOrDefault(e => e.Attribute("url") is not null);
        if (rss is not null)
        {
            return XmlBase.Resolve(rss.Attribute("url")!.Value, rss, documentUri);
        }
        var atom = FeedXml.OwnAll(item, "link").FirstOrDefault(l => Rel(l) == "enclosure" && l.Attribute("href") is not null);
        return atom is null ? null : XmlBase.Resolve(atom.Attribute("href")!.Value, atom, documentUri);
    }

    /// <summary>An RSS guid (a permalink unless told otherwise) or an Atom id doubles as the link when it is a web URL.</summary>
    public static string? PermalinkId(XElement item)
    {
        var guid = FeedXml.Own(item, "guid") ?? FeedXml.Own(item, "id");
        var value = FeedXml.Value(guid);
        if (value is null || string.Equals(FeedXml.Attribute(guid, "isPermaLink"), "false", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? value
            : null;
    }

    private static string Rel(XElement link) => (link.Attribute("rel")?.Value ?? "alternate").Trim().ToLowerInvariant();
}
