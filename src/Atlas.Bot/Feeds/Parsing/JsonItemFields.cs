namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// The fields of one JSON Feed item as written, whichever reader took them out of the document; <see cref="ToFeedItem"/>
/// normalises them the same way for both.
/// </summary>
internal sealed record JsonItemFields(
    string? Id,
    string? Url,
    string? ExternalUrl,
    string? Title,
    string? ContentHtml,
    string? ContentText,
    string? Summary,
    string? Image,
    string? BannerImage,
    string? DatePublished,
    string? DateModified,
    string? Author,
    string? AttachmentUrl,
    IEnumerable<string?>? Tags = null)
{
    public FeedItem ToFeedItem(Uri? documentUri, TimeZoneInfo timeZone)
    {
        var title = FeedHtml.CollapseWhitespace(Present(Title) ?? string.Empty);
        var link = XmlBase.Combine(documentUri, Present(Url) ?? Present(ExternalUrl));
        var content = Present(ContentHtml) is { } html
            ? FeedHtml.AbsoluteLinks(html, documentUri)
            : Present(ContentText) is { } text ? new TextConstruct(text, IsHtml: false).AsHtml() : null;
        var summary = Present(Summary) is { } plain ? new TextConstruct(plain, IsHtml: false).AsHtml() : null;
        var image = Present(Image) ?? Present(BannerImage) ?? (content is null ? null : FeedHtml.FirstImage(content));
        return new FeedItem(
            Id: ItemIdentity.Of(Present(Id), link, title, content ?? summary),
            Title: title,
            Link: link,
            Published: FeedDates.Parse(DatePublished, timeZone) ?? FeedDates.Parse(DateModified, timeZone),
            Author: Present(Author),
            ImageUrl: XmlBase.Combine(documentUri, image),
            SummaryHtml: summary,
            ContentHtml: content,
            EnclosureUrl: XmlBase.Combine(documentUri, Present(AttachmentUrl)),
            Categories: [.. (Tags ?? []).Select(TopicKey.Shown).OfType<string>().Distinct(StringComparer.Ordinal)]);
    }

    private static string? Present(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
