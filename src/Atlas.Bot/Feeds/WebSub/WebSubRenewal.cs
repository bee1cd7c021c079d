using Microsoft.Extensions.Options;

namespace Atlas.Bot.Feeds.WebSub;

/// <summary>
/// When it starts leading, unsubscribes the feeds no longer configured; then, once a minute, renews the leases that are
/// due and retries what failed (<see cref="WebSubSubscriber.RenewDueAsync"/>). Polling goes on regardless: pushes only
/// make news faster. Of several replicas only the sending leader does this (it follows the dispatcher's lease), so a
/// subscription is renewed once, not once per replica.
/// </summary>
public sealed partial class WebSubRenewal(
    WebSubSubscriber subscriber, Leadership leadership, IOptions<FeedsOptions> feeds, TimeProvider time, ILogger<WebSubRenewal> log)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        subscriber.Enabled ? leadership.FollowAsync(Leadership.DeliveryDispatcher, RenewWhileLeadingAsync, stoppingToken) : Task.CompletedTask;

    /// <param name="stoppingToken">Cancelled at shutdown or when this replica stops leading.</param>
    private async Task RenewWhileLeadingAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        var first = true;
        do
        {
            try
            {
                if (first)
                {
                    await subscriber.UnsubscribeRemovedAsync([.. feeds.Value.Feeds.Select(feed => feed.Id)], stoppingToken);
                    first = false;
                }

                await subscriber.RenewDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1706, Level = LogLevel.Error, Message = "WebSub renewal round failed; the next round tries again")]
    private partial void LogRoundFailed(Exception exception);
}
