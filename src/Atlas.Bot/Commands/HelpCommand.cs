using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/help, and the short help for anything the bot does not understand.</summary>
public sealed class HelpCommand(AdminGate admins)
{
    public Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var help = context.Text(TextNames.Help);
        if (message.From is { } from && admins.IsAdmin(from.Id))
        {
            help += "\n\n" + context.Text(TextNames.HelpAdmin);
        }

        return context.ReplyAsync(message.Chat.Id, help, ct);
    }

    public Task ShortHelpAsync(Message message, CommandContext context, CancellationToken ct) =>
        context.ReplyAsync(message.Chat.Id, context.Text(TextNames.ShortHelp), ct);

    public Task GroupHelpAsync(Message message, CommandContext context, CancellationToken ct) =>
        context.ReplyAsync(message.Chat.Id, context.Text(TextNames.HelpGroup), ct);
}
