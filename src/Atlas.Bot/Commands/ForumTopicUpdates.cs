using System.Collections.Concurrent;
using System.Globalization;
using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Commands;

/// <summary>
/// What the messages of a forum supergroup tell the bot about its topics. The Bot API has no method that names a topic,
/// so its name is learned as it goes by: from the service messages forum_topic_created and forum_topic_edited, and from
/// any message in a topic, whose reply_to_message is the topic's forum_topic_created (bots receive service messages even
/// with privacy mode on). That last one carries the name the topic was created with, so it only names a topic the bot
/// knows no name for: a rename (forum_topic_edited) stays. And forum_topic_reopened gives a topic the bot had stopped
/// posting to (closed) its posts back.
/// </summary>
public sealed partial class ForumTopicUpdates(Store store, OutboxSignal outbox, ILogger<ForumTopicUpdates> log)
{
    /// <summary>More topics than any deployment follows: past it the memory below starts again.</summary>
    private const int RememberedTopics = 10_000;

    /// <summary>Topics this process has a name for: every message in a topic would otherwise be a write.</summary>
    private readonly ConcurrentDictionary<(long Chat, int Thread), bool> _named = new();

    /// <summary>Whether <paramref name="message"/> says something of a forum topic: a name, or a reopening.</summary>
    public static bool Concerns(Message message) =>
        message.Chat is { Type: ChatType.Supergroup, IsForum: true }
        && (Named(message) is not null || message is { ForumTopicReopened: not null, MessageThreadId: not null });

    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat;
        if (Named(message) is var (thread, name, current) && (current || !_named.ContainsKey((chat.Id, thread))))
        {
            await store.RecordForumTopicNameAsync(chat.Id, chat.Username, thread, name, replace: current, context.Now, ct);
            if (_named.Count >= RememberedTopics)
            {
                _named.Clear();
            }

            _named[(chat.Id, thread)] = true;
            LogNamed(chat.Id, thread, name);
        }

        if (message is { ForumTopicReopened: not null, MessageThreadId: { } reopened })
        {
            // The entry may name the group by id or by username: a stop is kept under the name its deliveries use.
            List<(string Chat, int Thread)> entries = [(chat.Id.ToString(CultureInfo.InvariantCulture), reopened)];
            if (chat.Username is { Length: > 0 } username)
            {
                entries.Add(("@" + username, reopened));
            }

            var requeued = await store.ReopenTopicsAsync(entries, ct);
            if (requeued > 0)
            {
                outbox.Notify();
            }

            LogReopened(chat.Id, reopened, requeued);
        }
    }

    /// <summary>The topic a message names, and its name (<c>Current</c>: its name now, not the one it was created with); null when it names none.</summary>
    private static (int Thread, string Name, bool Current)? Named(Message message) => message switch
    {
        // The creation message opens its topic: the topic's id is its own.
        { ForumTopicCreated.Name: { Length: > 0 } created } => (message.MessageThreadId ?? message.Id, created, true),
        // An edit of the icon alone carries no name.
        { ForumTopicEdited.Name: { Length: > 0 } edited, MessageThreadId: { } thread } => (thread, edited, true),
        { IsTopicMessage: true, ReplyToMessage: { ForumTopicCreated.Name: { Length: > 0 } name } creation } => (creation.Id, name, false),
        _ => null,
    };

    [LoggerMessage(EventId = 3050, Level = LogLevel.Debug, Message = "Topic {Thread} of forum {Chat} is called \"{Name}\"")]
    private partial void LogNamed(long chat, int thread, string name);

    [LoggerMessage(EventId = 3051, Level = LogLevel.Information, Message = "Topic {Thread} of forum {Chat} was reopened: {Requeued} parked deliveries queued again")]
    private partial void LogReopened(long chat, int thread, int requeued);
}
