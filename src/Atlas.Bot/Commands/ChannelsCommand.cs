using Atlas.Bot.Feeds;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/channels: where the bot is a member or admin (from my_chat_member updates), and configured channels it cannot post to.</summary>
public sealed class ChannelsCommand(Store store, IOptions<FeedsOptions> feeds)
{
    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var memberships = await store.MembershipsAsync(ct);
        var blocked = await store.BlockedChatsAsync(ct);
        var lines = new List<string> { context.Text(TextNames.ChannelsHeader) };
        lines.AddRange(memberships.Count == 0
            ? [context.Text(TextNames.ChannelsNone)]
            : memberships.Select(membership => context.Text(
                TextNames.ChannelLine,
                HtmlText.Escape(membership.Title ?? membership.Chat),
                HtmlText.Escape(membership.Type),
                HtmlText.Escape(membership.Status),
                context.Text(membership.CanPost ? TextNames.Yes : TextNames.No))));

        var canPost = memberships.Where(membership => membership.CanPost).Select(membership => membership.Chat).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var problems = feeds.Value.Feeds.SelectMany(feed => feed.Channels).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(channel => blocked.TryGetValue(channel, out var reason)
                ? context.Text(TextNames.ChannelBlocked, HtmlText.Escape(channel), HtmlText.Escape(reason))
                : canPost.Contains(channel) ? null : context.Text(TextNames.ChannelNoRight, HtmlText.Escape(channel)))
            .OfType<string>()
            .ToList();
        lines.Add("");
        lines.Add(problems.Count == 0 ? context.Text(TextNames.ChannelsAllFine) : context.Text(TextNames.ChannelsProblemsHeader));
        lines.AddRange(problems);
        await context.ReplyAsync(message.Chat.Id, string.Join("\n", lines), ct);
    }
}
