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
}
