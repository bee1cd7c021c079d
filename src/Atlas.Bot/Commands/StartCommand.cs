using Atlas.Bot.Storage;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/start in a private chat: subscribes (or reactivates), greets, and offers the feed languages.</summary>
public sealed class StartCommand(Store store, FeedLanguages languages)
{
    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat.Id;
        var outcome = await store.SubscribeAsync(chat, "private", null, context.Language, languages.DefaultFor(context.Language), context.Now, ct);
        var selected = (await store.GetSubscriberAsync(chat, ct))?.Languages ?? [];
        var greeting = outcome switch
        {
            SubscribeOutcome.New => TextNames.StartNew,
            SubscribeOutcome.Reactivated => TextNames.StartReactivated,
            _ => TextNames.StartAlready,
        };
        await context.ReplyAsync(chat, context.Text(greeting), ct, LanguageKeyboard.For(context.Language, languages.All, selected));
    }
}
