using System.Text.Json;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// JSON Feed 1.0/1.1. Read here rather than by CodeHollow.FeedReader, which rejects feeds whose
/// "version" is not the exact spec URL and drops items of minimal feeds.
/// </summary>
internal static class JsonFeedReader
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 };

    public static FeedParseResult Read(string json, Uri? documentUri, TimeZoneInfo timeZone)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            return new FeedParseResult.Unreadable($"not well-formed JSON at line {(e.LineNumber ?? 0) + 1}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return new FeedParseResult.Unreadable("not a feed: JSON without an items list");
            }

            var warnings = new List<string>();
            var feedItems = DistinctItems.Keep(items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Select(i => Item(i, documentUri, timeZone)).ToList(), warnings);
            return new FeedParseResult.Parsed(new ParsedFeed(
                Title: String(root, "title") is { } title ? FeedHtml.CollapseWhitespace(title) : null,
                Link: XmlBase.Combine(documentUri, String(root, "home_page_url")),
                Description: String(root, "description") is { } description ? new TextConstruct(description, IsHtml: false).AsHtml() : null,
                Items: feedItems,
                Warnings: warnings));
        }
    }

    private static FeedItem Item(JsonElement item, Uri? documentUri, TimeZoneInfo timeZone)
    {
        var title = FeedHtml.CollapseWhitespace(String(item, "title") ?? string.Empty);
        var link = XmlBase.Combine(documentUri, String(item, "url") ?? String(item, "external_url"));
        var content = String(item, "content_html") is { } html
            ? FeedHtml.AbsoluteLinks(html, documentUri)
            : String(item, "content_text") is { } text ? new TextConstruct(text, IsHtml: false).AsHtml() : null;
        var summary = String(item, "summary") is { } plain ? new TextConstruct(plain, IsHtml: false).AsHtml() : null;
        var image = String(item, "image") ?? String(item, "banner_image") ?? (content is null ? null : FeedHtml.FirstImage(content));
        return new FeedItem(
            Id: ItemIdentity.Of(String(item, "id") ?? Number(item, "id"), link, title, content ?? summary),
            Title: title,
            Link: link,
            Published: FeedDates.Parse(String(item, "date_published"), timeZone) ?? FeedDates.Parse(String(item, "date_modified"), timeZone),
            Author: Author(item),
            ImageUrl: XmlBase.Combine(documentUri, image),
            SummaryHtml: summary,
            ContentHtml: content,
            EnclosureUrl: XmlBase.Combine(documentUri, Objects(item, "attachments").Select(a => String(a, "url")).FirstOrDefault(u => u is not null)));
    }

    // 1.1 has an "authors" list; 1.0 a single "author".
    private static string? Author(JsonElement item) =>
        Objects(item, "authors").Select(a => String(a, "name")).FirstOrDefault(n => n is not null)
        ?? (item.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object ? String(author, "name") : null);

    private static IEnumerable<JsonElement> Objects(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : null;

    // Some feeds write numeric ids, which the spec forbids but readers accept.
    private static string? Number(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : null;
}
