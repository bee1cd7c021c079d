using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/stop in a private chat: unsubscribes; the subscriber is kept as inactive, their history and counts stay.</summary>
public sealed class StopCommand(Store store, Outbox outbox)
{
    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat.Id;
        await outbox.EndSubscriptionAsync(chat, "stopped", context.Now, ct);
        // Read back rather than trust the deactivation's result: a re-handled /stop finds them stopped already.
        var subscriber = await store.GetSubscriberAsync(chat, ct);
        await context.ReplyAsync(chat, context.Text(subscriber is { Active: false } ? TextNames.Stopped : TextNames.NotSubscribed), ct);
    }
}
