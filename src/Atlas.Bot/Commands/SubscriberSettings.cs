using Atlas.Bot.Storage;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Commands;

/// <summary>
/// Who may change a chat's subscription settings (/lang, /topics and their buttons): the person in a private chat, a
/// group's admins in a group; and only while the chat is subscribed. One gate for every settings command and press.
/// </summary>
public sealed class SubscriberSettings(Store store, GroupAdmins groupAdmins, TelegramCalls telegram)
{
    /// <summary>The chat's subscription when <paramref name="message"/>'s sender may change it; else null, the refusal said.</summary>
    public async Task<Subscriber?> ForCommandAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var group = message.Chat.Type != ChatType.Private;
        if (group && !await groupAdmins.AllowAsync(message, context, ct))
        {
            return null;
        }

        if (await store.GetSubscriberAsync(message.Chat.Id, ct) is { Active: true } subscriber)
        {
            return subscriber;
        }

        await context.ReplyAsync(message.Chat.Id, context.Text(group ? TextNames.GroupNotSubscribed : TextNames.NotSubscribed), ct);
        return null;
    }

    /// <summary>The same for a button press on <paramref name="message"/>: a refusal is the press's answer.</summary>
    /// <param name="notSubscribedInGroup">What a press in a group that is not subscribed is told.</param>
    public async Task<Subscriber?> ForPressAsync(CallbackQuery query, Message message, string notSubscribedInGroup, CommandContext context, CancellationToken ct)
    {
        var group = message.Chat.Type != ChatType.Private;
        if (group && !await groupAdmins.IsAdminAsync(message.Chat, query.From, senderChat: null, ct))
        {
            await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.GroupAdminsOnly), ct);
            return null;
        }

        if (await store.GetSubscriberAsync(message.Chat.Id, ct) is { Active: true } subscriber)
        {
            return subscriber;
        }

        await telegram.AnswerCallbackAsync(query.Id, context.Text(group ? notSubscribedInGroup : TextNames.NotSubscribed), ct);
        return null;
    }
}
