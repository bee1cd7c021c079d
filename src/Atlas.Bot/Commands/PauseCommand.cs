using Atlas.Bot.Delivery;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/pause and /resume: stop and restart all sending but replies; polling goes on, deliveries wait in the outbox.</summary>
public sealed class PauseCommand(DeliverySwitch deliverySwitch)
{
    public async Task HandleAsync(Message message, bool pause, CommandContext context, CancellationToken ct)
    {
        await deliverySwitch.SetPausedAsync(pause, ct);
        await context.ReplyAsync(message.Chat.Id, context.Text(pause ? TextNames.Paused : TextNames.Resumed), ct);
    }
}
