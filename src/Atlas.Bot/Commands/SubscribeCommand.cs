using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Commands;

/// <summary>/subscribe and /unsubscribe in a group or supergroup, by one of its admins.</summary>
public sealed class SubscribeCommand(Store store, Outbox outbox, FeedLanguages languages, GroupAdmins groupAdmins)
{
    public async Task SubscribeAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat;
        if (!await groupAdmins.AllowAsync(message, context, ct))
        {
            return;
        }

        var kind = chat.Type == ChatType.Supergroup ? "supergroup" : "group";
        var outcome = await store.SubscribeAsync(chat.Id, kind, chat.Title, context.Language, languages.DefaultFor(context.Language), context.Now, ct);
        var selected = (await store.GetSubscriberAsync(chat.Id, ct))?.Languages ?? [];
        var text = outcome == SubscribeOutcome.AlreadyActive ? TextNames.GroupAlready : TextNames.GroupSubscribed;
        await context.ReplyAsync(chat.Id, context.Text(text, BotTexts.LanguageNames(context.Language, selected)), ct,
            LanguageKeyboard.For(context.Language, languages.All, selected));
    }

    public async Task UnsubscribeAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat;
        if (!await groupAdmins.AllowAsync(message, context, ct))
        {
            return;
        }

        await outbox.EndSubscriptionAsync(chat.Id, "stopped", context.Now, ct);
        var subscriber = await store.GetSubscriberAsync(chat.Id, ct);
        await context.ReplyAsync(chat.Id, context.Text(subscriber is { Active: false } ? TextNames.GroupUnsubscribed : TextNames.GroupNotSubscribed), ct);
    }
}
