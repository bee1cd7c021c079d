using System.Text;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/latest: the five latest analyses of the chat's languages (and of its topics, if it chose some), as one message.</summary>
public sealed class LatestCommand(Store store, FeedLanguages languages, StatsDays days)
{
    private const int Count = 5;

    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat.Id;
        var subscriber = await store.GetSubscriberAsync(chat, ct);
        var wanted = subscriber is { Active: true, Languages.Count: > 0 } ? subscriber.Languages : languages.DefaultFor(context.Language);
        var items = await store.LatestItemsAsync(wanted, topicsOf: chat, Count, ct);
        if (items.Count == 0)
        {
            await context.ReplyAsync(chat, context.Text(TextNames.LatestEmpty), ct);
            return;
        }

        var text = new StringBuilder(context.Text(TextNames.LatestHeader));
        foreach (var item in items)
        {
            var title = HtmlText.Escape(item.Title);
            text.Append("\n\n• ").Append(ReplyLinks.Anchor(title, item.Link));
            if (item.PublishedAt is { } published)
            {
                text.Append('\n').Append(days.Show(published));
            }
        }

        await context.ReplyAsync(chat, text.ToString(), ct);
    }
}
