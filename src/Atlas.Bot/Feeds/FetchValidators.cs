namespace Atlas.Bot.Feeds;

/// <summary>
/// What the last fresh fetch said about the document, sent back verbatim on the next fetch
/// so an unchanged feed costs a 304 instead of a body.
/// </summary>
/// <param name="ETag">The ETag header as received, quotes and W/ prefix included.</param>
/// <param name="LastModified">The Last-Modified header as received (for files: the mtime in RFC 1123).</param>
public sealed record FetchValidators(string? ETag, string? LastModified);
