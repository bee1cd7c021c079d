using Atlas.Bot.Posts;

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

    /// <summary>An edit of a message that is no longer there (an admin deleted it): nothing left to edit.</summary>
    public sealed record MessageGone(string Reason) : SendResult;

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

    /// <summary>The forum topic (message_thread_id) is gone or closed: "message thread not found", "TOPIC_CLOSED".</summary>
    Topic,
}

/// <summary>A post as the Telegram layer sends it: in which form, and whether Telegram may charge for going past its limit.</summary>
/// <param name="AllowPaidBroadcast">Telegram's paid broadcasts: up to 1000 messages a second, charged in Stars.</param>
/// <param name="Silent">Sent with disable_notification: it arrives, but does not buzz.</param>
/// <param name="ThreadId">The forum topic (message_thread_id) of a supergroup the message goes to; null for the chat itself.</param>
public sealed record OutgoingMessage(Post Post, PostForm Form = PostForm.Formatted, bool AllowPaidBroadcast = false, bool Silent = false, int? ThreadId = null);
