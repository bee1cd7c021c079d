using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>A JSON Feed as CodeHollow.FeedReader read it, normalised like every other feed.</summary>
internal static class JsonFeedMapping
{
    /// <summary>
    /// False when CodeHollow skipped items: it drops those without an id (required by the spec, left out by minimal
    /// feeds) and anything in the list that is not an object. <see cref="JsonFeedReader"/> reads such a feed instead.
    /// </summary>
    public static bool KeepsEveryItem(Feed feed) =>
        feed.SpecificFeed.Element?.Element("items") is { } items
        && items.Attribute("type")?.Value == "array"
        && items.Elements().Count() == feed.Items.Count;

    public static ParsedFeed Map(Feed feed, Uri? documentUri, TimeZoneInfo timeZone)
    {
        var warnings = new List<string>();
        var items = DistinctItems.Keep(
            feed.Items.Select(i => i.SpecificItem is JsonFeedItem json ? Fields(i, json).ToFeedItem(documentUri, timeZone) : null).OfType<FeedItem>(),
            warnings);
        return new ParsedFeed(
            Title: string.IsNullOrWhiteSpace(feed.Title) ? null : FeedHtml.CollapseWhitespace(feed.Title),
            Link: XmlBase.Combine(documentUri, feed.Link),
            Description: string.IsNullOrWhiteSpace(feed.Description) ? null : new TextConstruct(feed.Description.Trim(), IsHtml: false).AsHtml(),
            Items: items,
            Warnings: warnings);
    }

    private static JsonItemFields Fields(CodeHollow.FeedReader.FeedItem item, JsonFeedItem json) => new(
        Id: item.Id,
        Url: item.Link,
        ExternalUrl: json.ExternalUrl,
        Title: item.Title,
        // The generic Content is content_html or else content_text: which one decides whether it is escaped.
        ContentHtml: json.ContentHtml,
        ContentText: json.ContentText,
        Summary: item.Description,
        Image: json.Image,
        BannerImage: json.BannerImage,
        DatePublished: item.PublishingDateString,
        DateModified: json.DateModifiedString,
        // CodeHollow joins the item's authors and, as the spec says, falls back to the feed's.
        Author: item.Author,
        AttachmentUrl: json.Attachments?.Select(a => a.Url).FirstOrDefault(u => !string.IsNullOrWhiteSpace(u)),
        Tags: json.Tags);
}
