using System.Text.Json;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// JSON Feed 1.0/1.1 read with System.Text.Json: the fallback for the feeds CodeHollow.FeedReader turns away (a "version"
/// that is not a jsonfeed.org URL, items without an id, comments or trailing commas); see <see cref="JsonFeedMapping"/>.
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

    private static FeedItem Item(JsonElement item, Uri? documentUri, TimeZoneInfo timeZone) =>
        new JsonItemFields(
            Id: String(item, "id") ?? Number(item, "id"),
            Url: String(item, "url"),
            ExternalUrl: String(item, "external_url"),
            Title: String(item, "title"),
            ContentHtml: String(item, "content_html"),
            ContentText: String(item, "content_text"),
            Summary: String(item, "summary"),
            Image: String(item, "image"),
            BannerImage: String(item, "banner_image"),
            DatePublished: String(item, "date_published"),
            DateModified: String(item, "date_modified"),
            Author: Author(item),
            AttachmentUrl: Objects(item, "attachments").Select(a => String(a, "url")).FirstOrDefault(u => u is not null),
            Tags: Strings(item, "tags"))
        .ToFeedItem(documentUri, timeZone);

    // 1.1 has an "authors" list; 1.0 a single "author".
    private static string? Author(JsonElement item) =>
        Objects(item, "authors").Select(a => String(a, "name")).FirstOrDefault(n => n is not null)
        ?? (item.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object ? String(author, "name") : null);

    private static IEnumerable<JsonElement> Objects(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    private static IEnumerable<string?> Strings(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString())
            : [];

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : null;

    // Some feeds write numeric ids, which the spec forbids but readers accept.
    private static string? Number(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : null;
}
