using System.Globalization;
using Atlas.Bot.Storage;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/failed: deliveries that gave up, with the reason; /retry &lt;id&gt; queues one again.</summary>
public sealed class FailedCommand(Store store)
{
    private const int Max = 20;

    public async Task ListAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var failed = await store.FailedDeliveriesAsync(Max, ct);
        if (failed.Count == 0)
        {
            await context.ReplyAsync(message.Chat.Id, context.Text(TextNames.FailedNone), ct);
            return;
        }

        var lines = failed.Select(delivery => context.Text(
            TextNames.FailedLine, delivery.Id, HtmlText.Escape(delivery.Chat), HtmlText.Escape(Shorten(delivery.Title, 100)), HtmlText.Escape(Shorten(delivery.Error ?? "", 200))));
        await context.ReplyAsync(message.Chat.Id, string.Join("\n\n", [context.Text(TextNames.FailedHeader), .. lines, context.Text(TextNames.FailedHint)]), ct);
    }

    public async Task RetryAsync(Message message, string argument, CommandContext context, CancellationToken ct)
    {
        if (!long.TryParse(argument.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            await context.ReplyAsync(message.Chat.Id, context.Text(TextNames.RetryUsage), ct);
            return;
        }

        var queued = await store.RetryDeliveryAsync(id, context.Now, ct);
        await context.ReplyAsync(message.Chat.Id, context.Text(queued ? TextNames.RetryQueued : TextNames.RetryUnknown, id), ct);
    }

    /// <summary>Twenty entries must fit in one message of 4096 characters.</summary>
    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
