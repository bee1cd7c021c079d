using System.Xml.Linq;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>One RSS item or Atom entry, read straight from its XML.</summary>
internal static class ItemReader
{
    // Publication dates first; modification dates only when nothing says when the item appeared.
    private static readonly (XNamespace? Ns, string Name)[] DateElements =
    [
        (null, "pubDate"), (null, "published"), (null, "issued"), (FeedXml.Dc, "date"),
        (FeedXml.DcTerms, "issued"), (FeedXml.DcTerms, "created"), (null, "created"),
        (null, "updated"), (null, "modified"), (FeedXml.DcTerms, "modified"),
    ];

    public static FeedItem Read(XElement item, bool isAtom, Uri? documentUri, TimeZoneInfo timeZone)
    {
        var htmlByDefault = !isAtom;
        var title = (TextConstruct.Read(FeedXml.Own(item, "title"), htmlByDefault)
            ?? TextConstruct.Read(FeedXml.In(item, FeedXml.Dc, "title"), htmlByDefault: true)
            ?? TextConstruct.Read(Media(item, "title"), htmlByDefault: false))?.AsText() ?? string.Empty;

        var link = ItemLinks.Alternate(item, documentUri) ?? ItemLinks.PermalinkId(item);
        var summary = Html(documentUri, htmlByDefault,
            FeedXml.Own(item, "description"), FeedXml.Own(item, "summary"), FeedXml.In(item, FeedXml.Dc, "description"),
            Media(item, "description"), FeedXml.Itunes(item, "summary"));
        var content = Html(documentUri, htmlByDefault,
            FeedXml.In(item, FeedXml.Content, "encoded"), ContentWithoutSource(item),
            FeedXml.In(item, FeedXml.Xhtml, "body"), FeedXml.Own(item, "fullitem"), FeedXml.Any(item, "encoded"));

        return new FeedItem(
            Id: ItemIdentity.Of(DeclaredId(item, isAtom, documentUri), link, title, content ?? summary),
            Title: title,
            Link: link,
            Published: Date(item, timeZone),
            Author: Author(item),
            ImageUrl: ItemImages.Find(item, documentUri, content, summary),
            SummaryHtml: summary,
            ContentHtml: content,
            EnclosureUrl: ItemLinks.Enclosure(item, documentUri));
    }

    private static string? Html(Uri? documentUri, bool htmlByDefault, params XElement?[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (TextConstruct.Read(candidate, htmlByDefault) is { Value.Length: > 0 } construct)
            {
                return FeedHtml.AbsoluteLinks(construct.AsHtml(), XmlBase.BaseOf(candidate, documentUri));
            }
        }
        return null;
    }

    /// <summary>A Media RSS element of the item itself or of its media:group.</summary>
    private static XElement? Media(XElement item, string localName) =>
        FeedXml.In(item, FeedXml.Media, localName) ?? FeedXml.In(FeedXml.In(item, FeedXml.Media, "group"), FeedXml.Media, localName);

    // Atom content with src points elsewhere: it has no body of its own to show.
    private static XElement? ContentWithoutSource(XElement item) =>
        FeedXml.Own(item, "content") is { } content && content.Attribute("src") is null ? content : null;

    private static string? DeclaredId(XElement item, bool isAtom, Uri? documentUri)
    {
        if (FeedXml.Value(FeedXml.Own(item, "guid")) is { } guid)
        {
            return guid;
        }
        if (FeedXml.Own(item, "id") is { } idElement && FeedXml.Value(idElement) is { } id)
        {
            // Atom ids are IRIs and may be relative to xml:base; RSS guids are opaque strings.
            return isAtom && !XmlBase.IsAbsolute(id) && XmlBase.BaseOf(idElement, documentUri) is not null
                ? XmlBase.Resolve(id, idElement, documentUri)
                : id;
        }
        return item.Attribute(FeedXml.Rdf + "about")?.Value.Trim();
    }

    private static DateTimeOffset? Date(XElement item, TimeZoneInfo timeZone)
    {
        foreach (var (ns, name) in DateElements)
        {
            var element = ns is null ? FeedXml.Own(item, name) : FeedXml.In(item, ns, name);
            if (FeedDates.Parse(FeedXml.Value(element), timeZone) is { } date)
            {
                return date;
            }
        }
        return null;
    }

    private static string? Author(XElement item)
    {
        if (FeedXml.Value(FeedXml.In(item, FeedXml.Dc, "creator")) is { } creator)
        {
            return FeedHtml.CollapseWhitespace(creator);
        }
        var author = FeedXml.Own(item, "author");
        if (author is not null)
        {
            var name = author.HasElements ? FeedXml.Value(FeedXml.Any(author, "name")) : NameFromRssAuthor(FeedXml.Value(author));
            if (name is not null)
            {
                return FeedHtml.CollapseWhitespace(name);
            }
        }
        var other = NameFromRssAuthor(FeedXml.Value(FeedXml.In(item, FeedXml.Dc, "author")) ?? FeedXml.Value(FeedXml.Itunes(item, "author")));
        return other is null ? null : FeedHtml.CollapseWhitespace(other);
    }

    /// <summary>RSS 2.0 puts an e-mail there, often as "editor@example.com (Jane Doe)": the name is what a reader wants.</summary>
    private static string? NameFromRssAuthor(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var open = value.IndexOf('(', StringComparison.Ordinal);
        var close = value.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return value;
        }
        var inside = value[(open + 1)..close].Trim();
        var outside = (value[..open] + value[(close + 1)..]).Trim();
        // Either "jane@example.com (Jane Doe)" or "Jane Doe (jane@example.com)": keep the half that is not an address.
        return inside.Contains('@', StringComparison.Ordinal) ? outside
            : outside.Contains('@', StringComparison.Ordinal) ? inside
            : value;
    }
}
