using Atlas.Bot.Feeds;

namespace Atlas.Bot.Posts;

/// <summary>
/// Renders a feed item as a Telegram post: bold title, "date · author" line, blank line, summary.
/// When the post is too long only the summary is shortened; the title is cut only if it alone does not fit.
/// </summary>
public static class PostFormatter
{
    /// <summary>Telegram's limit for a text message, in UTF-16 code units after entity parsing.</summary>
    public const int TextLimit = 4096;

    /// <summary>Telegram's limit for a media caption, in UTF-16 code units after entity parsing.</summary>
    public const int CaptionLimit = 1024;

    private const string HeaderSeparator = "\n";
    private const string SummarySeparator = "\n\n";
    private const string BylineSeparator = " · ";

    public static Post Format(FeedItem item, string language, TimeZoneInfo displayZone)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(displayZone);

        var labels = PostLabels.For(language);
        // Telegram refuses an empty message, and a post must say what it is: an untitled item gets a label.
        var title = Bold(string.IsNullOrWhiteSpace(item.Title) ? labels.Untitled : item.Title);
        var byline = Byline(item, labels, displayZone);
        var summary = Summary(item);
        var photoUrl = HttpUrlOrNull(item.ImageUrl);
        var buttonUrl = HttpUrlOrNull(item.Link);

        return new Post(
            TextHtml: Compose(title, byline, summary, TextLimit).ToHtml(),
            PhotoUrl: photoUrl,
            CaptionHtml: photoUrl is null ? null : Compose(title, byline, summary, CaptionLimit).ToHtml(),
            ButtonText: buttonUrl is null ? null : labels.ReadButton,
            ButtonUrl: buttonUrl);
    }

    /// <summary>
    /// Renders an item already posted, as it reads in the feed now, to compare with its first post
    /// (<see cref="PostChanges.Between"/>): the byline keeps the date the post first showed, <paramref name="firstPublished"/>
    /// (the item's date when it was first seen, null if it had none), so a feed that only moves its pubDate or updated
    /// date renders the same post, and a correction does not re-date it.
    /// </summary>
    public static Post FormatRevision(FeedItem item, DateTimeOffset? firstPublished, string language, TimeZoneInfo displayZone)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Format(item with { Published = firstPublished }, language, displayZone);
    }

    private static TelegramMarkup Compose(TelegramMarkup title, TelegramMarkup byline, TelegramMarkup summary, int limit)
    {
        var header = Header(title, byline, limit);
        var summaryRoom = limit - header.PlainLength - SummarySeparator.Length;

        // A summary reduced to a lone "…" says nothing: leave it out.
        var shortSummary = summaryRoom > MarkupTruncation.Ellipsis.Length ? summary.Truncate(summaryRoom) : TelegramMarkup.Empty;
        return TelegramMarkup.Join(SummarySeparator, header, shortSummary);
    }

    private static TelegramMarkup Header(TelegramMarkup title, TelegramMarkup byline, int limit)
    {
        var header = TelegramMarkup.Join(HeaderSeparator, title, byline);
        if (header.PlainLength <= limit)
        {
            return header;
        }

        var titleRoom = byline.IsEmpty ? limit : limit - byline.PlainLength - HeaderSeparator.Length;
        return titleRoom > MarkupTruncation.Ellipsis.Length
            ? TelegramMarkup.Join(HeaderSeparator, title.Truncate(titleRoom), byline)
            : header.Truncate(limit);
    }

    private static TelegramMarkup Bold(string text)
    {
        var builder = new TelegramMarkupBuilder();
        builder.TryOpen(TelegramTag.Bold);
        builder.AppendText(text);
        builder.Close();
        return builder.Build();
    }

    private static TelegramMarkup Byline(FeedItem item, PostLabels labels, TimeZoneInfo displayZone)
    {
        var parts = new List<string>(2);
        if (item.Published is { } published)
        {
            parts.Add(labels.FormatDate(TimeZoneInfo.ConvertTime(published, displayZone)));
        }

        if (!string.IsNullOrWhiteSpace(item.Author))
        {
            parts.Add(item.Author);
        }

        var builder = new TelegramMarkupBuilder();
        builder.AppendText(string.Join(BylineSeparator, parts));
        return builder.Build();
    }

    private static TelegramMarkup Summary(FeedItem item)
    {
        var summary = TelegramHtml.Convert(item.SummaryHtml);
        return summary.IsEmpty ? TelegramHtml.Convert(item.ContentHtml) : summary;
    }

    private static string? HttpUrlOrNull(string? url) => WebUrls.IsWeb(url?.Trim(), out var uri) ? uri.OriginalString : null;
}
