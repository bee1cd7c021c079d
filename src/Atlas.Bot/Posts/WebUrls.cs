using System.Diagnostics.CodeAnalysis;

namespace Atlas.Bot.Posts;

/// <summary>
/// An absolute http(s) URL: the only kind of link a post or a command's reply may carry (a feed or a chat may send
/// anything: javascript:, a relative path, tg://…).
/// </summary>
public static class WebUrls
{
    public static bool IsWeb([NotNullWhen(true)] string? url, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(url, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public static bool IsWeb([NotNullWhen(true)] string? url) => IsWeb(url, out _);
}
