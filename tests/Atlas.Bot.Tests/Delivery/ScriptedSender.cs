using System.Collections.Concurrent;
using Atlas.Bot.Telegram;

namespace Atlas.Bot.Tests.Delivery;

/// <summary>A hand-written Telegram edge: answers each send from a script and records what was sent.</summary>
public sealed class ScriptedSender(Func<string, OutgoingMessage, int, SendResult>? script = null) : ITelegramSender
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private int _messageId;

    public ConcurrentQueue<(string Chat, OutgoingMessage Message)> Attempts { get; } = new();

    public ConcurrentQueue<(string Chat, OutgoingMessage Message)> Delivered { get; } = new();

    /// <summary>Edits answered Sent: the chat, the message edited and what it shows now.</summary>
    public ConcurrentQueue<(string Chat, int MessageId, OutgoingMessage Message)> Edited { get; } = new();

    /// <summary>How an edit is answered; unset: as Telegram does when all is well.</summary>
    public Func<string, int, SendResult>? EditScript { get; set; }

    public Task<SendResult> SendAsync(string chat, OutgoingMessage message, CancellationToken cancellationToken)
    {
        Attempts.Enqueue((chat, message));
        var attempt = _attempts.AddOrUpdate(chat, 1, (_, n) => n + 1);
        var result = script?.Invoke(chat, message, attempt) ?? new SendResult.Sent(0);
        if (result is SendResult.Sent)
        {
            result = new SendResult.Sent(Interlocked.Increment(ref _messageId));
            Delivered.Enqueue((chat, message));
        }

        return Task.FromResult(result);
    }

    public Task<SendResult> EditAsync(string chat, int messageId, string? shownPhoto, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var result = EditScript?.Invoke(chat, messageId) ?? new SendResult.Sent(messageId);
        if (result is SendResult.Sent)
        {
            Edited.Enqueue((chat, messageId, message));
        }

        return Task.FromResult(result);
    }
}
