namespace Atlas.Bot.Delivery;

/// <summary>
/// Asks <see cref="AdminAlerts"/> every 30 seconds whether a 429 streak has lasted too long: while Telegram
/// holds the dispatcher back, no send completes that could notice.
/// </summary>
public sealed partial class RateLimitWatch(AdminAlerts alerts, TimeProvider time, ILogger<RateLimitWatch> log) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await alerts.CheckRateLimitAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A failed check must not stop the host; the next tick tries again.
                    LogCheckFailed(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "Checking for a long 429 streak failed")]
    private partial void LogCheckFailed(Exception exception);
}
