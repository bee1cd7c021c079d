using Microsoft.Extensions.Options;

namespace Atlas.Bot.Feeds.WebSub;

/// <summary>
/// At start, unsubscribes the feeds no longer configured; then, once a minute, renews the leases that are due and retries
/// what failed (<see cref="WebSubSubscriber.RenewDueAsync"/>). Polling goes on regardless: pushes only make news faster.
/// </summary>
public sealed partial class WebSubRenewal(WebSubSubscriber subscriber, IOptions<FeedsOptions> feeds, TimeProvider time, ILogger<WebSubRenewal> log)
    : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!subscriber.Enabled)
        {
            return;
        }

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
