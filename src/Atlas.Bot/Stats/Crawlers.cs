using System.Diagnostics.CodeAnalysis;

namespace Atlas.Bot.Stats;

/// <summary>
/// Which User-Agents are machines rather than readers: their fetches of a tracked link are not opens.
/// </summary>
/// <remarks>
/// A short list of substrings, matched case-insensitively, rather than a maintained crawler database: it
/// covers what fetches links posted on Telegram in practice.
/// <list type="bullet">
/// <item>"bot": Telegram's own link-preview fetcher ("TelegramBot (like TwitterBot)"), Twitterbot, Slackbot,
/// Discordbot, LinkedInBot, Googlebot, bingbot, YandexBot and most other well-behaved crawlers.</item>
/// <item>"crawler", "spider", "preview": the generic words the rest use (e.g. "Google Web Preview", "SkypeUriPreview").</item>
/// <item>"facebookexternalhit", "WhatsApp", "vkShare": preview fetchers that do not call themselves bots.</item>
/// <item>"curl", "wget", "python-requests", "Go-http-client", "HeadlessChrome": scripts, not people.</item>
/// </list>
/// A missing or blank User-Agent is a machine too: every browser and in-app browser sends one.
/// Cubot is a phone maker whose model names ("CUBOT X19") would otherwise read as "bot".
/// </remarks>
public static class Crawlers
{
    private static readonly string[] Patterns =
    [
        "bot", "crawler", "spider", "preview",
        "facebookexternalhit", "WhatsApp", "vkShare",
        "curl", "wget", "python-requests", "Go-http-client", "HeadlessChrome",
    ];

    private static readonly string[] Readers = ["cubot"];

    public static bool IsCrawler([NotNullWhen(false)] string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return true;
        }

        var agent = userAgent.AsSpan();
        foreach (var reader in Readers)
        {
            // Removing the phone's name would allocate; a Cubot agent rarely carries a crawler word as well.
            if (agent.Contains(reader, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        foreach (var pattern in Patterns)
        {
            if (agent.Contains(pattern, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
