using System.Globalization;
using Atlas.Bot.Feeds;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>
/// /channels: where the bot is a member or admin (from my_chat_member updates), each configured channel entry with the
/// feeds that post there (a forum topic by its name when the bot has seen it), and the entries it cannot post to.
/// </summary>
public sealed class ChannelsCommand(Store store, IOptions<FeedsOptions> feeds)
{
    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var memberships = await store.MembershipsAsync(ct);
        var blocked = await store.BlockedChatsAsync(ct);
        var stopped = await store.StoppedTopicsAsync(ct);
        var names = await store.ForumTopicNamesAsync(ct);
        var lines = new List<string> { context.Text(TextNames.ChannelsHeader) };
        lines.AddRange(memberships.Count == 0
            ? [context.Text(TextNames.ChannelsNone)]
            : memberships.Select(membership => context.Text(
                TextNames.ChannelLine,
                HtmlText.Escape(membership.Title ?? membership.Chat),
                HtmlText.Escape(membership.Type),
                HtmlText.Escape(membership.Status),
                context.Text(membership.CanPost ? TextNames.Yes : TextNames.No))));

        var entries = Entries();
        lines.Add("");
        lines.Add(context.Text(TextNames.ChannelsEntriesHeader));
        lines.AddRange(entries.Select(each => each.Entry.ThreadId is { } thread
            ? context.Text(TextNames.ForumTopicLine, HtmlText.Escape(each.Entry.Chat), TopicLabel(context, names, each.Entry.Chat, thread), HtmlText.Escape(each.Feeds))
            : context.Text(TextNames.ChannelEntryLine, HtmlText.Escape(each.Entry.Chat), HtmlText.Escape(each.Feeds))));

        var canPost = memberships.Where(membership => membership.CanPost).Select(membership => membership.Chat).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var problems = entries.Select(each => each.Entry.Chat).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(channel => blocked.TryGetValue(channel, out var reason)
                ? context.Text(TextNames.ChannelBlocked, HtmlText.Escape(channel), HtmlText.Escape(reason))
                : canPost.Contains(channel) ? null : context.Text(TextNames.ChannelNoRight, HtmlText.Escape(channel)))
            .Concat(entries.Select(each => each.Entry).Select(entry => entry.ThreadId is { } thread
                    && stopped.FirstOrDefault(stop => new ChannelEntry(stop.Chat, stop.ThreadId).SamePlaceAs(entry)) is { } stop
                ? context.Text(TextNames.ForumTopicStopped, HtmlText.Escape(entry.Chat), TopicLabel(context, names, entry.Chat, thread), HtmlText.Escape(stop.Reason))
                : null))
            .OfType<string>()
            .ToList();
        lines.Add("");
        lines.Add(problems.Count == 0 ? context.Text(TextNames.ChannelsAllFine) : context.Text(TextNames.ChannelsProblemsHeader));
        lines.AddRange(problems);
        await context.ReplyAsync(message.Chat.Id, string.Join("\n", lines), ct);
    }

    /// <summary>Every configured place once, in the order of the configuration, with the feeds that post there.</summary>
    private List<(ChannelEntry Entry, string Feeds)> Entries()
    {
        var places = new List<(ChannelEntry Entry, List<string> Feeds)>();
        foreach (var feed in feeds.Value.Feeds)
        {
            foreach (var entry in feed.ChannelEntries())
            {
                if (places.Find(place => place.Entry.SamePlaceAs(entry)) is { Entry: not null } known)
                {
                    known.Feeds.Add(feed.Id);
                }
                else
                {
                    places.Add((entry, [feed.Id]));
                }
            }
        }

        return [.. places.Select(place => (place.Entry, string.Join(", ", place.Feeds)))];
    }

    /// <summary>A topic by the name the bot last saw for it in the group, else by its number.</summary>
    private static string TopicLabel(CommandContext context, IReadOnlyList<ForumTopicName> names, string chat, int thread) =>
        names.FirstOrDefault(name => name.ThreadId == thread && IsChat(name, chat)) is { } known
            ? context.Text(TextNames.ForumTopicNamed, HtmlText.Escape(known.Name), thread)
            : context.Text(TextNames.ForumTopicNumbered, thread);

    /// <summary>A configured chat is the group of a name seen by its id, or by its public username.</summary>
    private static bool IsChat(ForumTopicName name, string chat) =>
        chat.StartsWith('@')
            ? name.Username is { } username && string.Equals(chat[1..], username, StringComparison.OrdinalIgnoreCase)
            : chat == name.ChatId.ToString(CultureInfo.InvariantCulture);
}
