using System.Security.Cryptography;
using System.Text;

namespace Atlas.Bot.Telegram;

/// <summary>
/// The secret Telegram sends with each webhook request (X-Telegram-Bot-Api-Secret-Token), checked in constant time.
/// Both sides are hashed first: FixedTimeEquals answers at once for inputs of different lengths, which would tell a
/// prober the secret's length; hashes always have the same length. An empty secret matches nothing.
/// </summary>
public sealed class WebhookSecret(string expected)
{
    public const string Header = "X-Telegram-Bot-Api-Secret-Token";

    private readonly byte[] _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(expected));

    private readonly bool _isSet = expected.Length > 0;

    public bool Matches(string? presented) =>
        _isSet
        && presented is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expectedHash);
}
