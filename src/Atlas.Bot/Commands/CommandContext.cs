using System.Globalization;
using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;

namespace Atlas.Bot.Commands;

/// <summary>
/// One update being handled: who sent it, in which language the bot answers, and the replies it queues.
/// Replies are keyed "update:{id}:{n}" and audit lines "update:{id}", so handling the same update again
/// after a crash adds nothing twice, as long as a handler queues its replies in a fixed order.
/// </summary>
public sealed class CommandContext(Outbox outbox, long updateId, DateTimeOffset now, string language, string? botUsername)
{
    private int _replies;

    public long UpdateId => updateId;

    public DateTimeOffset Now => now;

    /// <summary>The language of the person who sent the update: az, en or ru.</summary>
    public string Language => language;

    /// <summary>The bot's @username without the "@", when known; commands addressed to another bot are ignored.</summary>
    public string? BotUsername => botUsername;

    /// <summary>The audit key of this update.</summary>
    public string Key => $"update:{updateId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>How many replies this handling queued for the first time.</summary>
    public int Queued { get; private set; }

    public string Text(string name, params object?[] args) => BotTexts.Get(language, name, args);

    /// <summary>Queues <paramref name="html"/> (Telegram HTML) to <paramref name="chat"/>, with inline buttons if any.</summary>
    public Task ReplyAsync(long chat, string html, CancellationToken ct, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard = null) =>
        ReplyAsync(chat, Post.Text(html, keyboard), ct);

    public async Task ReplyAsync(long chat, Post content, CancellationToken ct)
    {
        var key = $"{Key}:{(_replies++).ToString(CultureInfo.InvariantCulture)}";
        if (await outbox.QueueReplyAsync(key, chat, content, now, ct))
        {
            Queued++;
        }
    }
}
