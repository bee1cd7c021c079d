using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/feeds: each configured feed with its last poll, last success, last error, items seen and next run.</summary>
public sealed class FeedsCommand(Store store, PollSchedule schedule, IOptions<FeedsOptions> feeds, StatsDays days)
{
    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        if (feeds.Value.Feeds.Count == 0)
        {
            await context.ReplyAsync(message.Chat.Id, context.Text(TextNames.FeedsNone), ct);
            return;
        }

        var seen = await store.ItemsSeenAsync(ct);
        var blocks = new List<string>();
        foreach (var feed in feeds.Value.Feeds)
        {
            var state = await store.GetFeedStateAsync(feed.Id, ct);
            var next = await schedule.NextRunAsync(feed.Id, ct);
            blocks.Add(context.Text(
                TextNames.FeedLine,
                HtmlText.Escape(feed.Id),
                HtmlText.Escape(feed.Language),
                When(state.LastPollAt, context),
                When(state.LastSuccessAt, context),
                state.LastError is { } error ? HtmlText.Escape(error) : context.Text(TextNames.NoError),
                seen.GetValueOrDefault(feed.Id),
                next is { } at ? days.Show(at) : context.Text(TextNames.NotScheduled)));
        }

        await context.ReplyAsync(message.Chat.Id, string.Join("\n\n", blocks), ct);
    }

    private string When(DateTimeOffset? time, CommandContext context) =>
        time is { } at ? days.Show(at) : context.Text(TextNames.Never);
}
