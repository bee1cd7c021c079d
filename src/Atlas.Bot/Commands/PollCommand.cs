using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Microsoft.Extensions.Options;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/poll [feed]: polls one feed, or all, now; the schedule carries on as before.</summary>
public sealed class PollCommand(PollSchedule schedule, IOptions<FeedsOptions> feeds)
{
    public async Task HandleAsync(Message message, string feedId, CommandContext context, CancellationToken ct)
    {
        var all = feeds.Value.Feeds.Select(feed => feed.Id).ToList();
        if (feedId.Length > 0 && feeds.Value.Find(feedId) is null)
        {
            await context.ReplyAsync(message.Chat.Id, context.Text(TextNames.PollUnknown, HtmlText.Escape(feedId), HtmlText.Escape(string.Join(", ", all))), ct);
            return;
        }

        var polled = new List<string>();
        foreach (var id in feedId.Length > 0 ? [feedId] : all)
        {
            if (await schedule.PollNowAsync(id, ct))
            {
                polled.Add(id);
            }
        }

        await context.ReplyAsync(message.Chat.Id, context.Text(TextNames.PollStarted, HtmlText.Escape(string.Join(", ", polled))), ct);
    }
}
