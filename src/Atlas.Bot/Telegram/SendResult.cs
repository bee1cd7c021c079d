namespace Atlas.Bot.Telegram;

/// <summary>What Telegram said to one send, classified; the dispatcher decides what it means for the outbox.</summary>
public abstract record SendResult
{
    private SendResult() { }

    public sealed record Sent(int MessageId) : SendResult;

    /// <summary>429: flood control; resend after the delay, never drop.</summary>
    public sealed record RetryAfter(TimeSpan Delay) : SendResult;

    /// <summary>403, "chat not found", kicked: the bot cannot post there any more.</summary>
    public sealed record Blocked(string Reason) : SendResult;

    /// <summary>The group became a supergroup with a new id.</summary>
    public sealed record ChatMigrated(long NewChatId) : SendResult;

    /// <summary>400 Bad Request; Kind tells the formatting and photo cases apart, which can be resent differently.</summary>
    public sealed record Rejected(RejectKind Kind, string Reason) : SendResult;

    /// <summary>Network error, timeout or 5xx: worth a later retry.</summary>
    public sealed record Failed(string Reason) : SendResult;
}

public enum RejectKind
{
    Other,
    /// <summary>"can't parse entities", text or caption too long or empty.</summary>
    Formatting,
    /// <summary>Telegram could not fetch or use the photo URL.</summary>
    Photo,
}

/// <summary>A message as the Telegram layer sends it: text (HTML or plain), an optional photo and buttons.</summary>
/// <param name="Text">Telegram HTML when <paramref name="IsHtml"/>, else plain text. With a photo this is the caption.</param>
/// <param name="LinkPreview">Whether Telegram may show a preview of the first link (used when a photo could not be sent).</param>
/// <param name="Keyboard">Rows of inline buttons; when set it is sent instead of the single link button.</param>
/// <param name="AllowPaidBroadcast">Telegram's paid broadcasts: up to 1000 messages a second, charged in Stars.</param>
public sealed record OutgoingMessage(
    string Text,
    bool IsHtml = true,
    string? PhotoUrl = null,
    string? ButtonText = null,
    string? ButtonUrl = null,
    bool LinkPreview = false,
    IReadOnlyList<IReadOnlyList<InlineButton>>? Keyboard = null,
    bool AllowPaidBroadcast = false);

/// <summary>One inline button: a link, or callback data the bot receives when it is pressed.</summary>
public sealed record InlineButton(string Text, string? Url = null, string? CallbackData = null);
