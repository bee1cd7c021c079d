using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>Who may act for a group: its creator and administrators, including an anonymous admin posting as the group.</summary>
public sealed class GroupAdmins(TelegramCalls telegram)
{
    public async Task<bool> IsAdminAsync(Chat chat, User? from, Chat? senderChat, CancellationToken ct)
    {
        if (senderChat?.Id == chat.Id)
        {
            // Telegram hides an anonymous admin behind the group itself; only admins can post that way.
            return true;
        }

        return from is not null && await telegram.IsChatAdminAsync(chat.Id, from.Id, ct) == true;
    }

    /// <summary>True when the sender of <paramref name="message"/> may act for its group; otherwise the refusal is queued.</summary>
    public async Task<bool> AllowAsync(Message message, CommandContext context, CancellationToken ct)
    {
        if (await IsAdminAsync(message.Chat, message.From, message.SenderChat, ct))
        {
            return true;
        }

        await context.ReplyAsync(message.Chat.Id, context.Text(TextNames.GroupAdminsOnly), ct);
        return false;
    }
}
