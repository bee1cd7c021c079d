using System.Diagnostics.CodeAnalysis;

namespace Atlas.Bot.Posts;

/// <summary>
/// An absolute http(s) URL: the only kind of link a post or a command's reply may carry (a feed or a chat may send
/// anything: javascript:, a relative path, tg://…).
/// </summary>
public static class WebUrls
{
    private const string CampaignPrefix = "utm_";

    public static bool IsWeb([NotNullWhen(true)] string? url, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(url, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static bool IsWeb([NotNullWhen(true)] string? url) => IsWeb(url, out _);

    /// <summary>
    /// The URL without its <c>utm_*</c> query parameters (campaign tags: the same page, counted differently), and
    /// otherwise exactly as written: other parameters in their order, percent-escapes, non-ASCII paths and the fragment
    /// are kept, since a round trip through <see cref="Uri"/> would re-escape them. The same URL comes back when it has none.
    /// </summary>
    [return: NotNullIfNotNull(nameof(url))]
    public static string? WithoutUtm(string? url)
    {
        if (url is null || !url.Contains(CampaignPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return url;
        }

        var fragment = url.IndexOf('#', StringComparison.Ordinal);
        var queryEnd = fragment < 0 ? url.Length : fragment;
        var query = url.IndexOf('?', 0, queryEnd);
        if (query < 0)
        {
            return url;
        }

        var parameters = url[(query + 1)..queryEnd].Split('&');
        var kept = parameters.Where(parameter => !parameter.StartsWith(CampaignPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return kept.Count == parameters.Length
            ? url
            : url[..query] + (kept.Count > 0 ? "?" + string.Join('&', kept) : "") + url[queryEnd..];
    }
}
