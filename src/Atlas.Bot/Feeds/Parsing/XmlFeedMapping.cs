using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// An RSS 0.9x/1.0/2.0 or Atom feed as CodeHollow.FeedReader read it, normalised and completed from the channel's XML
/// (<see cref="BaseFeed.Element"/>) where CodeHollow has no value or a wrong one.
/// </summary>
internal static class XmlFeedMapping
{
    public static ParsedFeed Map(Feed feed, Uri? documentUri, TimeZoneInfo timeZone)
    {
        var channel = feed.SpecificFeed.Element;
        var htmlByDefault = feed.Type != FeedType.Atom;

        // CodeHollow's title is the element's raw text; its type attribute says whether that text is HTML.
        var title = (TextConstruct.Of(feed.Title, FeedXml.Own(channel, "title"), htmlByDefault)
            ?? TextConstruct.Read(FeedXml.In(channel, FeedXml.Dc, "title"), htmlByDefault: true))?.AsText();

        // CodeHollow leaves an Atom feed's Description empty; its subtitle (or 0.3 tagline) is on the AtomFeed.
        var (descriptionText, descriptionElement) = feed.SpecificFeed is AtomFeed atom
            ? (atom.Subtitle, FeedXml.Own(channel, "subtitle") ?? FeedXml.Own(channel, "tagline"))
            : (feed.Description, FeedXml.Own(channel, "description"));
        var description = (TextConstruct.Of(descriptionText, descriptionElement, htmlByDefault)
            ?? TextConstruct.Read(FeedXml.In(channel, FeedXml.Dc, "description"), htmlByDefault))?.AsHtml();

        var warnings = new List<string>();
        var items = DistinctItems.Keep(feed.Items.Select(i => XmlItemMapping.Map(i, documentUri, timeZone)), warnings);

        return new ParsedFeed(
            Title: string.IsNullOrEmpty(title) ? null : title,
            Link: ItemLinks.Resolve(feed.Link, channel, documentUri) ?? ItemLinks.Alternate(channel, documentUri),
            Description: string.IsNullOrEmpty(description) ? null : description,
            Items: items,
            Warnings: warnings,
            WebSub: WebSubXml.Read(channel, documentUri));
    }
}
