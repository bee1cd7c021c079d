using Quartz;

namespace Atlas.Bot.Stats;

/// <summary>Just after midnight in the stats zone (and once at start, to catch up), closes the days that are over.</summary>
[DisallowConcurrentExecution]
public sealed partial class CloseDayJob(DayCloser closer, IHostApplicationLifetime lifetime, ILogger<CloseDayJob> log) : IJob
{
    public static readonly JobKey Key = new("close-day", "stats");

    /// <summary>00:05 every day: a few minutes' margin for posts confirmed right at midnight.</summary>
    public const string Schedule = "0 5 0 * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            await closer.CloseFinishedDaysAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the next start catches up, and a day is closed in one transaction.
        }
        catch (Exception exception)
        {
            LogFailed(exception);
        }
    }

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Closing the day's figures failed; the next run catches up")]
    private partial void LogFailed(Exception exception);
}
