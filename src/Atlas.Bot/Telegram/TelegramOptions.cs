using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Telegram;

/// <summary>How the bot receives updates (commands, button presses, membership changes).</summary>
public enum UpdateMode
{
    /// <summary>Long polling with getUpdates: works anywhere, no public URL needed.</summary>
    Polling,

    /// <summary>Telegram posts updates to <see cref="TelegramOptions.WebhookUrl"/>: for deployments behind a public URL.</summary>
    Webhook,

    /// <summary>No updates: a posting-only replica.</summary>
    Off,
}

/// <summary>The bot's credentials, where the Bot API lives, how updates arrive and who the admins are (section "Telegram").</summary>
public sealed class TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>The token from @BotFather, "123456:ABC-..."; a secret: keep it in user secrets or the environment.</summary>
    [Required]
    [RegularExpression(@"^\d+:[A-Za-z0-9_-]+$", ErrorMessage = "does not look like a bot token (digits, a colon, then letters and digits, as @BotFather gives it).")]
    public string? BotToken { get; set; }

    /// <summary>The Bot API server; a local telegram-bot-api server or a test fake replaces the public one.</summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    public UpdateMode Updates { get; set; } = UpdateMode.Polling;

    /// <summary>With <see cref="UpdateMode.Webhook"/>: the public https URL Telegram posts to; the bot serves its path.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>With <see cref="UpdateMode.Webhook"/>: the secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -).</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,256}$", ErrorMessage = "must be 1-256 characters of A-Z, a-z, 0-9, _ and -.")]
    public string? WebhookSecret { get; set; }

    /// <summary>Telegram user ids allowed to run admin commands.</summary>
    public List<long> Admins { get; set; } = [];
}
