using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Delivery;

/// <summary>Pacing and retry settings of the dispatcher (configuration section <c>Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Messages a second across all chats (Telegram's limit is about 30).</summary>
    [Range(1, 10_000)]
    public int GlobalPerSecond { get; set; } = 30;

    /// <summary>Messages a second into one private chat.</summary>
    [Range(1, 100)]
    public int PerChatPerSecond { get; set; } = 1;

    /// <summary>Messages a minute into one group or channel.</summary>
    [Range(1, 1_000)]
    public int GroupPerMinute { get; set; } = 20;

    /// <summary>Sends under way at once (each to a different chat).</summary>
    [Range(1, 1_000)]
    public int MaxInFlight { get; set; } = 32;

    /// <summary>Attempts after network errors or 5xx before a delivery gives up (429s do not count).</summary>
    [Range(1, 1_000)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>How long a claimed delivery stays leased; after a crash it becomes pending again once this passes.</summary>
    [Range(5, 3_600)]
    public int LeaseSeconds { get; set; } = 60;
}
