using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Telegram;

/// <summary>The bot's credentials and where the Bot API lives (configuration section "Telegram").</summary>
public sealed class TelegramOptions
{
    /// <summary>The token from @BotFather, "123456:ABC-..."; a secret: keep it in user secrets or the environment.</summary>
    [Required]
    [RegularExpression(@"^\d+:[A-Za-z0-9_-]+$", ErrorMessage = "does not look like a bot token (digits, a colon, then letters and digits, as @BotFather gives it).")]
    public string? BotToken { get; set; }

    /// <summary>The Bot API server; a local telegram-bot-api server or a test fake replaces the public one.</summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";
}
