using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Telegram;

/// <summary>
/// Telegram's published flood limits: about 30 messages a second overall, one a second into one chat and
/// 20 a minute into one group or channel. Lower them to be gentler; raising them earns 429s.
/// </summary>
public sealed record RateLimits
{
    [Range(1, 1000)]
    public int GlobalPerSecond { get; init; } = 30;

    [Range(1, 100)]
    public int PerChatPerSecond { get; init; } = 1;

    [Range(1, 1000)]
    public int GroupPerMinute { get; init; } = 20;
}
