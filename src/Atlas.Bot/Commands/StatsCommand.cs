using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/stats: a placeholder until view counts are collected.</summary>
public sealed class StatsCommand
{
    public Task HandleAsync(Message message, CommandContext context, CancellationToken ct) =>
        context.ReplyAsync(message.Chat.Id, context.Text(TextNames.Stats), ct);
}
