using System.Globalization;
using CodeHollow.FeedReader.Feeds;
using CodeHollowItem = CodeHollow.FeedReader.FeedItem;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// One item as CodeHollow.FeedReader read it, normalised (URLs absolute, dates instants, titles text) and completed
/// from the item's XML (<see cref="BaseFeedItem.Element"/>) where CodeHollow has no value or a wrong one.
/// </summary>
internal static class XmlItemMapping
{
    public static FeedItem Map(CodeHollowItem item, Uri? documentUri, TimeZoneInfo timeZone)
    {
        var element = item.SpecificItem.Element;
        var htmlByDefault = !ItemXml.IsAtom(element);

        // CodeHollow's title is the element's raw text; its type attribute says whether that text is HTML.
        var title = (TextConstruct.Of(item.Title, FeedXml.Own(element, "title"), htmlByDefault) ?? ItemXml.Title(element))?.AsText() ?? string.Empty;

        var link = ItemLinks.Resolve(item.Link, element, documentUri)
            ?? ItemLinks.Alternate(element, documentUri)
            ?? ItemLinks.PermalinkId(element);

        var summaryElement = FeedXml.Own(element, htmlByDefault ? "description" : "summary");
        var summary = ItemXml.Html(TextConstruct.Of(item.Description, summaryElement, htmlByDefault), summaryElement, documentUri)
            ?? ItemXml.Summary(element, documentUri);

        // Ours, always: CodeHollow HTML-decodes content:encoded and Atom content a second time (text written as "&lt;b&gt;"
        // becomes a tag) and flattens inline XHTML content to its text.
        var content = ItemXml.Content(element, documentUri);

        return new FeedItem(
            Id: ItemIdentity.Of(DeclaredId(item, documentUri), link, title, content ?? summary),
            Title: title,
            Link: link,
            Published: Published(item, timeZone),
            Author: Author(item),
            ImageUrl: ItemImages.Find(element, documentUri, content, summary),
            SummaryHtml: summary,
            ContentHtml: content,
            EnclosureUrl: ItemLinks.Enclosure(EnclosureUrl(item.SpecificItem), element, documentUri),
            Categories: ItemXml.Categories(element));
    }

    private static string? DeclaredId(CodeHollowItem item, Uri? documentUri)
    {
        var element = item.SpecificItem.Element;
        // For RSS 0.9x and 1.0 CodeHollow copies the link into Id: the rdf:about (or a stray guid) is read from the XML.
        if (item.SpecificItem is Rss091FeedItem or Rss10FeedItem || string.IsNullOrWhiteSpace(item.Id))
        {
            return ItemXml.DeclaredId(element, documentUri);
        }
        return ItemXml.AtomId(item.Id.Trim(), element, documentUri);
    }

    /// <remarks>
    /// CodeHollow picks the publication date (pubDate; Atom published, issued or created; RSS 1.0 dc:date) and FeedDates
    /// reads it: CodeHollow's own reading puts a date without a zone in the machine's local zone and orders day and month
    /// by the current culture. Without such a date the XML's other date elements (Atom updated, dc:date in RSS 2.0) count.
    /// </remarks>
    private static DateTimeOffset? Published(CodeHollowItem item, TimeZoneInfo timeZone) =>
        FeedDates.Parse(item.PublishingDateString, timeZone)
        ?? ItemXml.Date(item.SpecificItem.Element, timeZone)
        ?? ZonedCodeHollowDate(item);

    /// <summary>CodeHollow's reading of a date FeedDates does not know, used only when the date names its zone.</summary>
    private static DateTimeOffset? ZonedCodeHollowDate(CodeHollowItem item) =>
        item.PublishingDate is { } utc
        && DateTime.TryParse(item.PublishingDateString, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var read)
        && read.Kind != DateTimeKind.Unspecified
            ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))
            : null;

    private static string? Author(CodeHollowItem item)
    {
        var element = item.SpecificItem.Element;
        // dc:creator first: WordPress names the author there, while RSS 2.0's <author> holds an e-mail address, and
        // CodeHollow's RSS 2.0 reader does not read dc:creator at all.
        // For Atom the person's name alone: CodeHollow's Author string appends the e-mail.
        var codeHollowAuthor = item.SpecificItem is AtomFeedItem atom ? atom.Author?.Name : item.Author;
        return ItemXml.Creator(element) ?? ItemXml.AuthorName(codeHollowAuthor) ?? ItemXml.OtherAuthor(element);
    }

    private static string? EnclosureUrl(BaseFeedItem item) => item switch
    {
        Rss20FeedItem rss => rss.Enclosure?.Url,
        MediaRssFeedItem media => media.Enclosure?.Url,
        Rss092FeedItem rss092 => rss092.Enclosure?.Url,
        AtomFeedItem atom => atom.Links?.FirstOrDefault(l => string.Equals(l.Relation?.Trim(), "enclosure", StringComparison.OrdinalIgnoreCase))?.Href,
        _ => null,
    };
}
