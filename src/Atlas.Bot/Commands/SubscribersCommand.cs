using Atlas.Bot.Storage;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/subscribers: active, inactive and new in the last 24 hours, by feed language, and how many keep quiet hours; then the most chosen topics.</summary>
public sealed class SubscribersCommand(Store store, FeedLanguages languages)
{
    /// <summary>Topics listed at most: with names cut to <see cref="MaxTopicText"/>, the message stays far below Telegram's 4096 characters.</summary>
    public const int TopTopics = 30;

    private const int MaxTopicText = 60;

    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var counts = await store.SubscriberCountsAsync(languages.All, context.Now, ct);
        var lines = counts.Select(count => context.Text(
            TextNames.SubscribersLine, BotTexts.LanguageName(context.Language, count.Language), count.Active, count.Inactive, count.NewLastDay));
        var topics = await store.TopicSubscriberCountsAsync(TopTopics, ct);
        var everything = await store.EverythingSubscribersAsync(ct);
        var quiet = await store.QuietSubscribersAsync(ct);
        var topicLines = topics.Select(topic => context.Text(TextNames.SubscribersTopicLine, HtmlText.Escape(Cut(topic.Shown)), topic.Subscribers));
        await context.ReplyAsync(
            message.Chat.Id,
            string.Join("\n", [
                context.Text(TextNames.SubscribersHeader), .. lines, context.Text(TextNames.SubscribersQuiet, quiet),
                "", context.Text(TextNames.SubscribersTopicsHeader), context.Text(TextNames.SubscribersEverything, everything), .. topicLines]),
            ct);
    }

    private static string Cut(string topic) =>
        topic.Length <= MaxTopicText ? topic : topic[..(char.IsHighSurrogate(topic[MaxTopicText - 2]) ? MaxTopicText - 2 : MaxTopicText - 1)] + "…";
}
