using System.Security.Cryptography;

namespace Atlas.Bot.Storage;

/// <summary>
/// Codes for tracked links: 10 characters of base62 from a cryptographic generator (about 59 bits), so
/// they are short in a URL and cannot be guessed or enumerated the way sequential ids could.
/// </summary>
public static class LinkCodes
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public const int Length = 10;

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Whether <paramref name="code"/> could be a code at all: a cheap check before any lookup.</summary>
    public static bool IsWellFormed(string? code) =>
        code is { Length: Length } && code.All(c => char.IsAsciiLetterOrDigit(c));
}
