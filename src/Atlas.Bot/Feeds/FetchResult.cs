using Atlas.Bot.Feeds.WebSub;

namespace Atlas.Bot.Feeds;

/// <summary>The outcome of one conditional fetch; expected failures are values, not exceptions.</summary>
public abstract record FetchResult
{
    private FetchResult() { }

    /// <param name="Body">The raw body, decompressed, at most the configured cap.</param>
    /// <param name="Charset">The charset named by the Content-Type header, if any.</param>
    /// <param name="BaseUri">The URI relative links resolve against: Content-Location, else the final URL after redirects.</param>
    /// <param name="WebSub">The hub and self links of the response's Link headers (none for a file).</param>
    public sealed record Fresh(byte[] Body, string? Charset, Uri BaseUri, string? ETag, string? LastModified, WebSubLinks? WebSub = null) : FetchResult
    {
        public WebSubLinks WebSub { get; init; } = WebSub ?? WebSubLinks.None;
    }

    public sealed record NotModified : FetchResult;

    /// <param name="Reason">Plain words for admins and logs: "HTTP 404", "timed out after 30 s", "larger than 10 MB".</param>
    public sealed record Failed(string Reason) : FetchResult;
}
