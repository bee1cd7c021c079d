using Atlas.Bot.Feeds;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Delivery;

/// <summary>
/// Runs before the scheduler and the dispatcher start: applies migrations, lets go of what a dead predecessor of this
/// process had claimed, and gives configured channels that had blocked the bot, and configured forum topics that were
/// stopped, another chance (their parked posts are queued again). What Telegram may still be counting from before the restart is told to the rate governor by the
/// dispatcher, each time this replica becomes the one that sends.
/// </summary>
public sealed partial class OutboxStartup(
    Store store,
    ReplicaIdentity replica,
    DeliverySwitch deliverySwitch,
    IOptions<FeedsOptions> feeds,
    IOptions<DeliveryOptions> delivery,
    IOptions<RateLimits> limits,
    ILogger<OutboxStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        if (replica.Predecessor is { } predecessor)
        {
            // Restarted in place after a crash: the predecessor is certainly dead (its slot's lock went with it), so its
            // deliveries and updates are free now, as its leadership leases are, rather than when their leases end.
            var released = await store.ReleaseClaimsOfAsync(predecessor, cancellationToken);
            LogReleasedPredecessorClaims(predecessor, released.Deliveries, released.Updates);
        }

        await deliverySwitch.LoadAsync(cancellationToken);
        var entries = feeds.Value.Feeds.SelectMany(feed => feed.ChannelEntries()).ToList();
        var channels = entries.Select(entry => entry.Chat).Distinct(StringComparer.Ordinal).ToList();
        // Configured topics first: a topic stopped and no longer configured keeps its posts parked.
        var requeued = await store.ReopenTopicsAsync(
            [.. entries.Where(entry => entry.ThreadId is not null).Select(entry => (entry.Chat, entry.ThreadId!.Value)).Distinct()], cancellationToken);
        requeued += await store.UnblockChatsAsync(channels, cancellationToken);
        LogReady(store.DataSource, feeds.Value.Feeds.Count, channels.Count, requeued);

        if (deliverySwitch.Paused)
        {
            LogPaused();
        }

        // Telegram's free limit is about 30 a second; above that it answers 429 unless paid broadcasts are on.
        if (limits.Value.GlobalPerSecond > 30 && !delivery.Value.AllowPaidBroadcast)
        {
            LogAboveFreeLimit(limits.Value.GlobalPerSecond);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Storage ready at {DataSource}; {Feeds} feeds, {Channels} channels; {Requeued} parked deliveries queued again")]
    private partial void LogReady(string dataSource, int feeds, int channels, int requeued);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Sending is paused (/resume to restart it): posts wait in the outbox")]
    private partial void LogPaused();

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Delivery:GlobalPerSecond is {Rate}, above Telegram's free 30 a second, without Delivery:AllowPaidBroadcast: expect 429s")]
    private partial void LogAboveFreeLimit(int rate);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Released what {Predecessor}, the crashed process before this one, had claimed: {Deliveries} deliveries and {Updates} updates may be taken at once")]
    private partial void LogReleasedPredecessorClaims(string predecessor, int deliveries, int updates);
}
