using System.Globalization;

namespace Atlas.Bot.Feeds;

/// <summary>
/// Where a feed posts (one <c>Feeds:N:Channels:K</c> value): a channel or group ("@atlas_en", "-1001234567890"), or one
/// topic of a forum supergroup, written as the chat, a slash and the topic's message_thread_id ("-1001234567890/42",
/// "@atlas_forum/42"). The Bot API takes either form of chat, so both may carry a topic.
/// </summary>
/// <param name="Chat">"@username" or the numeric chat id, as written: the outbox, the governor and the alerts key on it.</param>
/// <param name="ThreadId">The forum topic's message_thread_id; null for the chat itself.</param>
public sealed record ChannelEntry(string Chat, int? ThreadId = null)
{
    /// <summary>The General topic of a forum: messages without a thread id go there.</summary>
    public const int GeneralTopic = 1;

    /// <summary>The entry as configured: the chat, with "/topic" when it names one.</summary>
    public override string ToString() => ThreadId is { } thread ? $"{Chat}/{thread.ToString(CultureInfo.InvariantCulture)}" : Chat;

    /// <summary>Whether two entries are the same place: usernames compare without case, as Telegram's do.</summary>
    public bool SamePlaceAs(ChannelEntry other) =>
        ThreadId == other.ThreadId && string.Equals(Chat, other.Chat, Chat.StartsWith('@') ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Reads a configured entry; null with <paramref name="problem"/> saying what is wrong (for the key's error).</summary>
    public static ChannelEntry? TryParse(string? text, out string? problem)
    {
        problem = null;
        var value = text ?? "";
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var chat = slash < 0 ? value : value[..slash];
        if (!FeedsOptionsValidator.IsChat(chat))
        {
            problem = slash < 0
                ? "must be @username (5-32 letters, digits or _) or a numeric chat id"
                : "must be @username or a numeric chat id before the '/' of a forum topic";
            return null;
        }

        if (slash < 0)
        {
            return new ChannelEntry(chat);
        }

        // Digits only: no sign, no spaces, no second slash; a topic's id is a message id, 1 or more.
        var topic = value[(slash + 1)..];
        if (topic.Length == 0 || !topic.All(char.IsAsciiDigit)
            || !int.TryParse(topic, NumberStyles.None, CultureInfo.InvariantCulture, out var thread) || thread < 1)
        {
            problem = "must name a forum topic after the '/' by its message_thread_id, a whole number from 2 (for example -1001234567890/42)";
            return null;
        }

        if (thread == GeneralTopic)
        {
            // Telegram answers "message thread not found" to message_thread_id 1: the General topic takes no thread id.
            problem = $"must not name topic 1, the forum's General topic, which Telegram does not take by its id: write the group alone ({chat}) to post there";
            return null;
        }

        return new ChannelEntry(chat, thread);
    }

    /// <summary>Reads an entry the validator accepted; throws for one it would have refused.</summary>
    public static ChannelEntry Parse(string text) =>
        TryParse(text, out var problem) ?? throw new FormatException($"'{text}' {problem}.");
}
