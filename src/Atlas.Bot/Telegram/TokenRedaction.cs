using System.Text.RegularExpressions;

namespace Atlas.Bot.Telegram;

/// <summary>
/// Removes bot tokens from text bound for logs or the database: HttpClient errors quote the request URL,
/// and the URL contains the token ("/bot123:ABC/sendMessage").
/// </summary>
public static partial class TokenRedaction
{
    public static string Scrub(string text) => BotToken().Replace(text, "bot<redacted>");

    [GeneratedRegex(@"bot\d+:[A-Za-z0-9_-]+", RegexOptions.CultureInvariant)]
    private static partial Regex BotToken();
}
