using System.Xml.Linq;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 documents, read from the XML tree.</summary>
internal static class XmlFeedReader
{
    public static FeedParseResult Read(XDocument document, Uri? documentUri, TimeZoneInfo timeZone)
    {
        var root = document.Root!;
        var rootName = root.Name.LocalName.ToLowerInvariant();
        if (rootName is not ("rss" or "rdf" or "feed" or "channel"))
        {
            return new FeedParseResult.Unreadable($"not a feed: <{root.Name.LocalName}> {(rootName == "html" ? "page" : "document")}");
        }

        var isAtom = rootName == "feed";
        var channel = isAtom || rootName == "channel" ? root : FeedXml.Own(root, "channel") ?? root;
        var itemElements = isAtom
            ? FeedXml.OwnAll(root, "entry")
            : FeedXml.OwnAll(channel, "item").Concat(channel == root ? [] : FeedXml.OwnAll(root, "item"));

        var warnings = new List<string>();
        var items = DistinctItems.Keep(itemElements.Select(e => ItemReader.Read(e, isAtom, documentUri, timeZone)), warnings);

        var htmlByDefault = !isAtom;
        var title = (TextConstruct.Read(FeedXml.Own(channel, "title"), htmlByDefault)
            ?? TextConstruct.Read(FeedXml.In(channel, FeedXml.Dc, "title"), htmlByDefault: true))?.AsText();
        var description = TextConstruct.Read(
            FeedXml.Own(channel, "description") ?? FeedXml.Own(channel, "subtitle") ?? FeedXml.Own(channel, "tagline")
            ?? FeedXml.In(channel, FeedXml.Dc, "description"), htmlByDefault)?.AsHtml();

        return new FeedParseResult.Parsed(new ParsedFeed(
            Title: string.IsNullOrEmpty(title) ? null : title,
            Link: ItemLinks.Alternate(channel, documentUri),
            Description: string.IsNullOrEmpty(description) ? null : description,
            Items: items,
            Warnings: warnings));
    }
}
