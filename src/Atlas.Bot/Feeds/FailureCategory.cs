namespace Atlas.Bot.Feeds;

/// <summary>
/// A failed poll's reason, reduced to a few words a metric label can carry: the plain-words reasons
/// (<see cref="FetchFailures"/>, <see cref="FeedParser"/>) name paths, URLs and line numbers, which
/// would make every failure a new series.
/// </summary>
public static class FailureCategory
{
    public const string Http4xx = "http_4xx";
    public const string Http5xx = "http_5xx";
    public const string Timeout = "timeout";
    public const string TooLarge = "too_large";
    public const string Network = "network";
    public const string NotAFeed = "not_a_feed";
    public const string Other = "other";

    private static readonly string[] NotAFeedStarts = ["not a feed", "not well-formed", "unreadable feed", "empty document"];

    private static readonly string[] NetworkStarts =
    [
        "name not resolved", "connection", "host unreachable", "invalid HTTP response", "HTTP protocol error",
        "HTTP version not supported", "response headers too large", "proxy tunnel failed", "server asks for credentials",
        "network error", "TLS handshake failed",
    ];

    public static string Of(string reason) => reason switch
    {
        _ when StatusCode(reason) is { } code => code switch
        {
            >= 400 and < 500 => Http4xx,
            >= 500 and < 600 => Http5xx,
            // A redirect that reached us was refused (a loop, too many hops, https to http).
            _ => Other,
        },
        _ when reason.StartsWith("timed out", StringComparison.Ordinal) || reason == "connection timed out" => Timeout,
        _ when reason.StartsWith("larger than", StringComparison.Ordinal) => TooLarge,
        _ when StartsWithAny(reason, NotAFeedStarts) => NotAFeed,
        _ when StartsWithAny(reason, NetworkStarts) => Network,
        _ => Other,
    };

    /// <summary>The code of "HTTP 404 Not Found"; null for "HTTP protocol error" and everything else.</summary>
    private static int? StatusCode(string reason) =>
        reason.Length >= 8 && reason.StartsWith("HTTP ", StringComparison.Ordinal)
            && int.TryParse(reason.AsSpan(5, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            && (reason.Length == 8 || !char.IsAsciiDigit(reason[8]))
            ? code
            : null;

    private static bool StartsWithAny(string reason, string[] starts) =>
        Array.Exists(starts, start => reason.StartsWith(start, StringComparison.Ordinal));
}
