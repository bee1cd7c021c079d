using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Stats;
using Microsoft.Extensions.Options;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>
/// /preview &lt;url or feed id&gt;: the newest item of a feed, rendered exactly as it would be posted, sent to the admin only.
/// A configured feed is read as the poller reads it; any other address only when it is public (or
/// Fetch__AllowPrivateAddresses is set), so an admin's account in the wrong hands cannot look into the bot's network.
/// </summary>
public sealed class PreviewCommand(
    FeedSource configuredFeeds,
    [FromKeyedServices(FeedSource.Untrusted)] FeedSource otherAddresses,
    FeedUrls urls,
    IOptions<FeedsOptions> feeds,
    StatsDays days)
{
    public async Task HandleAsync(Message message, string argument, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat.Id;
        var configured = feeds.Value.Find(argument) ?? feeds.Value.Feeds.Find(feed => string.Equals(feed.Url, argument, StringComparison.Ordinal));
        // A raw argument must be a web address: an admin command does not read the server's files.
        if (configured is null && !WebUrls.IsWeb(argument))
        {
            await context.ReplyAsync(chat, context.Text(TextNames.PreviewUsage), ct);
            return;
        }

        var url = configured is null ? argument : urls.Resolve(configured.Url);
        // As the poller reads it: a configured feed in its own zone, any other address in the center's.
        var zone = configured?.Zone ?? days.Zone;
        var source = configured is null ? otherAddresses : configuredFeeds;
        switch (await source.ReadAsync(url, null, zone, ct))
        {
            case FeedReadResult.Parsed { Feed.Items: { Count: > 0 } items }:
                var newest = items.Any(item => item.Published is not null) ? items.MaxBy(item => item.Published)! : items[0];
                var post = PostFormatter.Format(newest, configured?.Language ?? context.Language, zone);
                await context.ReplyAsync(chat, post, ct);
                break;
            case FeedReadResult.Failed failed:
                await context.ReplyAsync(chat, context.Text(TextNames.PreviewFailed, HtmlText.Escape(failed.Reason)), ct);
                break;
            default:
                await context.ReplyAsync(chat, context.Text(TextNames.PreviewEmpty), ct);
                break;
        }
    }
}
