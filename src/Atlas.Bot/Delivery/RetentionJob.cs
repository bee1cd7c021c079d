using Quartz;

namespace Atlas.Bot.Delivery;

/// <summary>Once a day at a quiet hour (and once at start), deletes what is older than <c>Storage__KeepDays</c>.</summary>
[DisallowConcurrentExecution]
public sealed partial class RetentionJob(Retention retention, IHostApplicationLifetime lifetime, ILogger<RetentionJob> log) : IJob
{
    public static readonly JobKey Key = new("retention", "delivery");

    /// <summary>03:30 in the stats zone: the center publishes in the day, and the day closer (00:05) is long done.</summary>
    public const string Schedule = "0 30 3 * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            await retention.PruneAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: each batch is its own transaction, and the next run carries on where this one stopped.
        }
        catch (Exception exception)
        {
            LogFailed(exception);
        }
    }

    [LoggerMessage(EventId = 2303, Level = LogLevel.Error, Message = "Retention failed; the next run (tomorrow or at the next start) tries again")]
    private partial void LogFailed(Exception exception);
}
