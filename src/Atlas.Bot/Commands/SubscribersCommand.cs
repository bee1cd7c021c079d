using Atlas.Bot.Storage;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/subscribers: active, inactive and new in the last 24 hours, by feed language.</summary>
public sealed class SubscribersCommand(Store store, FeedLanguages languages)
{
    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var counts = await store.SubscriberCountsAsync(languages.All, context.Now, ct);
        var lines = counts.Select(count => context.Text(
            TextNames.SubscribersLine, BotTexts.LanguageName(context.Language, count.Language), count.Active, count.Inactive, count.NewLastDay));
        await context.ReplyAsync(message.Chat.Id, string.Join("\n", [context.Text(TextNames.SubscribersHeader), .. lines]), ct);
    }
}
