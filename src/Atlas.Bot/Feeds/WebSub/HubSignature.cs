using System.Security.Cryptography;
using System.Text;

namespace Atlas.Bot.Feeds.WebSub;

/// <summary>
/// WebSub's authenticated content distribution (W3C WebSub §8): a hub signs each push with
/// <c>X-Hub-Signature: method=signature</c>, an HMAC of the body with the subscription's secret, method one of sha1,
/// sha256, sha384, sha512. A push whose signature is missing, malformed or wrong is not read at all.
/// </summary>
public static class HubSignature
{
    /// <summary>The header a hub signs a push with.</summary>
    public const string Header = "X-Hub-Signature";

    /// <summary>Whether <paramref name="header"/> is a valid signature of <paramref name="body"/> with <paramref name="secret"/>.</summary>
    public static bool Verify(string? header, ReadOnlySpan<byte> body, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (header is null || header.IndexOf('=', StringComparison.Ordinal) is var equals && equals <= 0)
        {
            return false;
        }

        var given = header[(equals + 1)..].Trim();
        var expected = Mac(header[..equals].Trim().ToLowerInvariant(), Encoding.UTF8.GetBytes(secret), body);
        if (expected is null || given.Length != expected.Length * 2)
        {
            return false;
        }

        byte[] actual;
        try
        {
            actual = Convert.FromHexString(given);
        }
        catch (FormatException)
        {
            return false;
        }

        // In constant time: how much of a guess matched must not show in how long the answer takes.
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>The header value a hub would send: for the hub double in tests, and to document the format.</summary>
    public static string Sign(string method, ReadOnlySpan<byte> body, string secret) =>
        Mac(method, Encoding.UTF8.GetBytes(secret), body) is { } mac
            ? $"{method}={Convert.ToHexStringLower(mac)}"
            : throw new ArgumentOutOfRangeException(nameof(method), method, "WebSub signs with sha1, sha256, sha384 or sha512.");

    /// <summary>The HMAC of <paramref name="body"/> by one of WebSub's methods; null for any other method.</summary>
    private static byte[]? Mac(string method, byte[] key, ReadOnlySpan<byte> body) => method switch
    {
#pragma warning disable CA5350 // The spec lets a hub sign with sha1; refusing it would refuse such a hub's every push.
        "sha1" => HMACSHA1.HashData(key, body),
#pragma warning restore CA5350
        "sha256" => HMACSHA256.HashData(key, body),
        "sha384" => HMACSHA384.HashData(key, body),
        "sha512" => HMACSHA512.HashData(key, body),
        _ => null,
    };
}
