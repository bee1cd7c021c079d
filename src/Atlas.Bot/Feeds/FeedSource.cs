using Atlas.Bot.Feeds.WebSub;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Feeds;

/// <summary>A feed read end to end: fetch, decode, parse. Shared by the poller and <c>atlas-bot preview</c>.</summary>
public abstract record FeedReadResult
{
    private FeedReadResult() { }

    /// <param name="Validators">What to send back on the next poll (ETag, Last-Modified).</param>
    /// <param name="WebSub">The topic and hubs the response and the document name (<see cref="HubDiscovery"/>), or null.</param>
    public sealed record Parsed(ParsedFeed Feed, FetchValidators Validators, WebSubTopic? WebSub = null) : FeedReadResult;

    public sealed record NotModified : FeedReadResult;

    public sealed record Failed(string Reason) : FeedReadResult;
}

public sealed class FeedSource(FeedFetcher fetcher, IOptions<FetchOptions> options)
{
    /// <summary>
    /// The service key of the source for addresses nobody configured (/preview &lt;url&gt;): it connects to public
    /// addresses only, unless <see cref="FetchOptions.AllowPrivateAddresses"/>. The unkeyed one reads configured feeds.
    /// </summary>
    public const string Untrusted = "untrusted";

    public async Task<FeedReadResult> ReadAsync(string url, FetchValidators? previous, TimeZoneInfo zone, CancellationToken ct) =>
        await fetcher.FetchAsync(url, previous, ct) switch
        {
            FetchResult.Fresh fresh => Parse(url, fresh, zone),
            FetchResult.NotModified => new FeedReadResult.NotModified(),
            FetchResult.Failed failed => new FeedReadResult.Failed(failed.Reason),
            var other => throw new InvalidOperationException($"Unexpected fetch result {other}."),
        };

    /// <summary>
    /// A body that arrived otherwise than by a fetch (a WebSub push), read by the same decode and parse; its size was
    /// capped at Fetch__MaxBytes by whoever received it. It has no validators of its own.
    /// </summary>
    public FeedReadResult Parse(byte[] body, string? charset, Uri baseUri, TimeZoneInfo zone) =>
        Parse(baseUri.AbsoluteUri, new FetchResult.Fresh(body, charset, baseUri, null, null), zone);

    private FeedReadResult Parse(string url, FetchResult.Fresh fresh, TimeZoneInfo zone)
    {
        var text = FeedDecoder.Decode(fresh.Body, fresh.Charset);
        // The body was capped at Fetch__MaxBytes; so is what its entities expand to.
        return FeedParser.Parse(text, fresh.BaseUri, zone, options.Value.MaxBytes) switch
        {
            FeedParseResult.Parsed parsed => new FeedReadResult.Parsed(
                parsed.Feed,
                new FetchValidators(fresh.ETag, fresh.LastModified),
                HubDiscovery.Discover(fresh.WebSub, parsed.Feed.WebSub, Uri.TryCreate(url, UriKind.Absolute, out var fetched) ? fetched : null)),
            FeedParseResult.Unreadable unreadable => new FeedReadResult.Failed(unreadable.Reason),
            var other => throw new InvalidOperationException($"Unexpected parse result {other}."),
        };
    }
}
