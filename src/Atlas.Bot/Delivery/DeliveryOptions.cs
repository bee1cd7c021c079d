using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Delivery;

/// <summary>
/// The dispatcher's settings (configuration section <c>Delivery</c>). The pacing keys of the same section
/// (GlobalPerSecond, PerChatPerSecond, GroupPerMinute) bind to <see cref="Telegram.RateLimits"/>.
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>
    /// Sends under way at once (each to a different chat), counted from claim to recorded result; unset: half a
    /// second's budget (half of the global rate, at least 32 and at most 512), so the governor always has a send ready
    /// for its next turn. A fixed 32 capped a 300/s fan-out at 90% of its limit (docs/performance.md).
    /// </summary>
    [Range(1, 1_000)]
    public int? MaxInFlight { get; set; }

    public int InFlightFor(int globalPerSecond) => MaxInFlight ?? Math.Clamp(globalPerSecond / 2, 32, 512);

    /// <summary>Attempts after network errors or 5xx before a delivery gives up (429s do not count).</summary>
    [Range(1, 1_000)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>
    /// Sets allow_paid_broadcast on sends: Telegram then accepts up to 1000 messages a second (charged in Stars),
    /// so GlobalPerSecond may be raised above 30.
    /// </summary>
    public bool AllowPaidBroadcast { get; set; }

    /// <summary>More new analyses than this waiting for one subscriber go out as one digest message instead of a flood.</summary>
    [Range(1, 1_000)]
    public int DigestThreshold { get; set; } = 5;

    /// <summary>
    /// An analysis corrected in its feed within this many days of its first post has its posts edited in place; 0 turns
    /// corrections off (a change then goes unnoticed, as before).
    /// </summary>
    [Range(0, 30)]
    public int EditWindowDays { get; set; } = 3;

    /// <summary>
    /// Whether corrections edit subscribers' private copies too (channel and group posts always are). Off by default:
    /// correcting 10,000 private copies costs 5½ minutes of the 30/s budget; when on, they go after new posts.
    /// </summary>
    public bool EditPrivateCopies { get; set; }

    /// <summary>How long a claimed delivery stays leased; after a crash it becomes pending again once this passes.</summary>
    [Range(5, 3_600)]
    public int LeaseSeconds { get; set; } = 60;
}
