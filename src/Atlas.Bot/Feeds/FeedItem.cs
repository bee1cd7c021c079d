using Atlas.Bot.Feeds.WebSub;

namespace Atlas.Bot.Feeds;

/// <summary>One item of a feed, normalised: every URL absolute, every date in UTC.</summary>
/// <param name="Id">The item's identity: its guid, else its canonical link, else a hash of its content.</param>
/// <param name="Title">Plain text (HTML in the source title is reduced to text).</param>
/// <param name="SummaryHtml">The feed's own summary/description HTML, links made absolute; null when absent.</param>
/// <param name="ContentHtml">The feed's full content HTML (content:encoded, Atom content), links made absolute; null when absent.</param>
/// <param name="Categories">The item's categories as the feed writes them (RSS category, Atom category label or term,
/// dc:subject, JSON Feed tags): decoded text, whitespace trimmed and collapsed, in document order, each spelling once.</param>
public sealed record FeedItem(
    string Id,
    string Title,
    string? Link,
    DateTimeOffset? Published,
    string? Author,
    string? ImageUrl,
    string? SummaryHtml,
    string? ContentHtml,
    string? EnclosureUrl = null,
    IReadOnlyList<string>? Categories = null)
{
    public IReadOnlyList<string> Categories { get; init; } = Categories ?? [];
}

/// <summary>What a feed document says about itself and its items, in document order.</summary>
/// <param name="WebSub">The feed-level hub and self links the document names (RSS atom:link, Atom link), absolute.</param>
public sealed record ParsedFeed(
    string? Title,
    string? Link,
    string? Description,
    IReadOnlyList<FeedItem> Items,
    IReadOnlyList<string> Warnings,
    WebSubLinks? WebSub = null)
{
    public WebSubLinks WebSub { get; init; } = WebSub ?? WebSubLinks.None;
}

/// <summary>Parsing either yields a feed or a reason in plain words; it never throws for bad input.</summary>
public abstract record FeedParseResult
{
    private FeedParseResult() { }

    public sealed record Parsed(ParsedFeed Feed) : FeedParseResult;

    public sealed record Unreadable(string Reason) : FeedParseResult;
}
