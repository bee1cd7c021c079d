using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Atlas.Bot.Feeds;

/// <summary>Why a fetch failed, in plain words for admins: no exception types, no stack traces.</summary>
internal static class FetchFailures
{
    public static FetchResult.Failed TimedOut(TimeSpan after) =>
        new($"timed out after {after.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");

    public static FetchResult.Failed TooLarge(int maxBytes) => new($"larger than {Size(maxBytes)}");

    public static FetchResult.Failed FileNotFound(string path) => new($"file not found: {path}");

    public static FetchResult.Failed FileUnreadable(string path, string why) => new($"file not readable: {path} ({why})");

    public static FetchResult.Failed UnsupportedAddress(string url) => new($"not an http(s) URL or file path: {url}");

    public static FetchResult.Failed Undecompressable() => new("body could not be decompressed");

    public static FetchResult.Failed Status(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        var status = string.IsNullOrWhiteSpace(response.ReasonPhrase) ? $"HTTP {code}" : $"HTTP {code} {response.ReasonPhrase.Trim()}";

        // The handler follows redirects itself; one that reaches us was refused:
        // a loop, more than five hops, or a step down from https to http.
        return code is >= 300 and < 400 && response.Headers.Location is { } location
            ? new($"{status}, redirect to {location} not followed")
            : new(status);
    }

    public static FetchResult.Failed Network(HttpRequestException exception) =>
        Find<NonPublicAddressException>(exception) is { } refused
            ? NotPublic(refused)
            : new(Describe(exception.HttpRequestError, exception));

    /// <summary>An address nobody configured led to a private network (directly or by a redirect); nothing was sent there.</summary>
    private static FetchResult.Failed NotPublic(NonPublicAddressException refused)
    {
        var address = refused.Address.ToString();
        var what = refused.Host == address ? address + " is" : $"{refused.Host} resolves to {address},";
        return new($"refused: {what} not a public address ({FetchOptions.Section}__{nameof(FetchOptions.AllowPrivateAddresses)}=true allows it)");
    }

    public static FetchResult.Failed Network(IOException exception) =>
        new(exception is HttpIOException http
            ? Describe(http.HttpRequestError, exception)
            : Socket(exception) ?? "connection lost while reading the body");

    private static string Describe(HttpRequestError error, Exception exception) => error switch
    {
        HttpRequestError.NameResolutionError => "name not resolved",
        HttpRequestError.ConnectionError => Socket(exception) ?? "connection failed",
        HttpRequestError.SecureConnectionError => Tls(exception),
        HttpRequestError.ResponseEnded => "connection closed before the response was complete",
        HttpRequestError.InvalidResponse => "invalid HTTP response",
        HttpRequestError.HttpProtocolError => "HTTP protocol error",
        HttpRequestError.ConfigurationLimitExceeded => "response headers too large",
        HttpRequestError.ProxyTunnelError => "proxy tunnel failed",
        HttpRequestError.UserAuthenticationError => "server asks for credentials",
        HttpRequestError.VersionNegotiationError => "HTTP version not supported by the server",
        _ => Socket(exception) ?? "network error",
    };

    private static string? Socket(Exception exception) =>
        Find<SocketException>(exception)?.SocketErrorCode switch
        {
            null => null,
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "name not resolved",
            SocketError.TimedOut => "connection timed out",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown => "host unreachable",
            SocketError.ConnectionReset or SocketError.ConnectionAborted => "connection reset",
            _ => "connection failed",
        };

    private static string Tls(Exception exception) =>
        Find<AuthenticationException>(exception) is { } tls
            ? $"TLS handshake failed: {tls.Message.TrimEnd('.')}"
            : "TLS handshake failed";

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Size(int bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MB",
        >= 1024 * 1024 => $"{(bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture)} MB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KB",
        _ => $"{bytes} bytes",
    };
}
