using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/feeds: each configured feed with its last poll, last success, last error, items seen, next run and WebSub subscription.</summary>
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
        var pushes = (await store.ListWebSubAsync(ct)).ToDictionary(subscription => subscription.FeedId, StringComparer.Ordinal);
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
                next is { } at ? days.Show(at) : context.Text(TextNames.NotScheduled))
                + (pushes.TryGetValue(feed.Id, out var push) ? "\n" + WebSubLine(push, context) : ""));
        }

        await context.ReplyAsync(message.Chat.Id, string.Join("\n\n", blocks), ct);
    }

    /// <summary>Where the feed's WebSub subscription stands; polls go on whatever it says.</summary>
    private string WebSubLine(WebSubSubscription push, CommandContext context) => push.State switch
    {
        WebSubState.Verified => context.Text(TextNames.WebSubVerified, HtmlText.Escape(push.Hub), When(push.LeaseUntil, context)),
        WebSubState.Failed => context.Text(
            TextNames.WebSubFailed, HtmlText.Escape(push.Hub), push.Failures, When(push.NextAttempt, context), HtmlText.Escape(push.LastError ?? "")),
        _ => context.Text(TextNames.WebSubPending, HtmlText.Escape(push.Hub)),
    };

    private string When(DateTimeOffset? time, CommandContext context) =>
        time is { } at ? days.Show(at) : context.Text(TextNames.Never);
}
