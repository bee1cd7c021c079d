using Atlas.Bot.Storage;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>
/// /topics and its buttons: which topics a subscriber (or a subscribed group) receives; none chosen means everything.
/// The topics offered are those of the subscriber's feed languages in the last 90 days, most frequent first, and any
/// chosen topic no longer seen, so a choice can always be undone.
/// </summary>
public sealed class TopicsCommand(Store store, SubscriberSettings settings, TelegramCalls telegram)
{
    /// <summary>How far back the topics offered go.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(90);

    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat.Id;
        if (await settings.ForCommandAsync(message, context, ct) is not { } subscriber)
        {
            return;
        }

        var (topics, chosen) = await OfferedAsync(subscriber, context, ct);
        if (topics.Count == 0)
        {
            await context.ReplyAsync(chat, context.Text(TextNames.TopicsNone), ct);
            return;
        }

        await context.ReplyAsync(chat, context.Text(TextNames.TopicsPrompt), ct, TopicKeyboard.For(context.Language, topics, chosen, page: 0));
    }

    /// <summary>A press on a topics button; <paramref name="data"/> is what follows "top:".</summary>
    public async Task PressAsync(CallbackQuery query, string data, CommandContext context, CancellationToken ct)
    {
        if (TopicKeyboard.Parse(data) is not { } press || query.Message is not { } message)
        {
            await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.ButtonExpired), ct);
            return;
        }

        if (press.Action == TopicAction.None)
        {
            await telegram.AnswerCallbackAsync(query.Id, null, ct);
            return;
        }

        var chat = message.Chat.Id;
        if (await settings.ForPressAsync(query, message, notSubscribedInGroup: TextNames.GroupNotSubscribed, context, ct) is not { } subscriber)
        {
            return;
        }

        var (topics, chosen) = await OfferedAsync(subscriber, context, ct);
        string? answer;
        switch (press.Action)
        {
            case TopicAction.Page:
                answer = null;
                break;
            case TopicAction.All:
                await store.ClearTopicsAsync(chat, ct);
                chosen.Clear();
                answer = context.Text(TextNames.TopicsEverything);
                break;
            default:
                if (topics.FirstOrDefault(topic => TopicKeyboard.Tag(topic.Key) == press.Tag) is not { } topic)
                {
                    await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.ButtonExpired), ct);
                    return;
                }

                var select = press.Action == TopicAction.Choose;
                await store.SetTopicAsync(chat, topic.Key, select, ct);
                if (select)
                {
                    chosen.Add(topic.Key);
                }
                else
                {
                    chosen.Remove(topic.Key);
                }

                answer = chosen.Count == 0 ? context.Text(TextNames.TopicsEverything) : context.Text(TextNames.TopicsSaved, chosen.Count);
                break;
        }

        await telegram.AnswerCallbackAsync(query.Id, answer, ct);
        await telegram.EditKeyboardAsync(chat, message.Id, TopicKeyboard.For(context.Language, topics, chosen, press.Page), ct);
    }

    /// <summary>The topics offered, in order, and the keys chosen among them.</summary>
    private async Task<(List<TopicCount> Topics, HashSet<string> Chosen)> OfferedAsync(Subscriber subscriber, CommandContext context, CancellationToken ct)
    {
        var topics = await store.TopicsSinceAsync(subscriber.Languages, context.Now - Window, ct);
        var chosen = await store.ChosenTopicsAsync(subscriber.ChatId, ct);
        var offered = topics.Select(topic => topic.Key).ToHashSet(StringComparer.Ordinal);
        // A chosen topic the feeds stopped using stays at the end, so it can be deselected.
        topics.AddRange(chosen.Where(topic => !offered.Contains(topic.Key)));
        return (topics, chosen.Select(topic => topic.Key).ToHashSet(StringComparer.Ordinal));
    }
}
