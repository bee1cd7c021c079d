using Atlas.Bot.Storage;

namespace Atlas.Bot;

/// <summary>
/// Reads the outbox and subscriber counts every 15 seconds into <see cref="BotMetrics"/>: a scrape (or
/// several scrapers) then costs the database nothing, and a slow database cannot stall /metrics.
/// </summary>
public sealed partial class DatabaseGauges(Store store, BotMetrics metrics, TimeProvider time, ILogger<DatabaseGauges> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One read; on failure the previous counts stay (the health check is what reports a database down).</summary>
    internal async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            metrics.Update(await store.OperationalCountsAsync(ct));
        }
        catch (Exception exception) when (Store.IsDatabaseError(exception))
        {
            LogRefreshFailed(exception.GetType().Name, exception.Message);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Could not read the outbox and subscriber counts for /metrics ({Error}): {Reason}")]
    private partial void LogRefreshFailed(string error, string reason);
}
