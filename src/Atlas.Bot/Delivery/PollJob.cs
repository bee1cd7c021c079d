using Atlas.Bot.Feeds;
using Microsoft.Extensions.Options;
using Quartz;

namespace Atlas.Bot.Delivery;

/// <summary>
/// The Quartz job behind each feed's schedule. One job per feed, and Quartz never runs two of the same
/// job at once, so polls of one feed never overlap; different feeds poll in parallel.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class PollJob(FeedPoller poller, IOptions<FeedsOptions> feeds, IHostApplicationLifetime lifetime, ILogger<PollJob> log) : IJob
{
    public const string FeedIdKey = "feedId";

    public static JobKey KeyFor(string feedId) => new($"poll-{feedId}", "feeds");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var feedId = context.MergedJobDataMap.GetString(FeedIdKey) ?? "";
        if (feeds.Value.Find(feedId) is null)
        {
            // A schedule shared by replicas (PostgreSQL) outlives the configuration that made it: a feed removed from
            // the configuration leaves its job behind, and the first replica that meets it removes it.
            LogFeedRemoved(feedId);
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
            return;
        }

        // Quartz does not interrupt jobs when it shuts down, and it waits for them: a poll stuck on a slow feed
        // would hold up SIGTERM. Each item is stored in its own transaction, so aborting a poll loses nothing.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            await poller.PollAsync(feedId, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the next start polls again, and nothing was marked seen without its deliveries.
            LogPollAborted(feedId);
        }
        catch (Exception exception)
        {
            // The one place an unexpected poll error is caught: log it with the feed and carry on with the schedule.
            LogPollCrashed(exception, feedId);
        }
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "Feed {FeedId} poll crashed")]
    private partial void LogPollCrashed(Exception exception, string feedId);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Feed {FeedId} is no longer configured: its schedule is removed")]
    private partial void LogFeedRemoved(string feedId);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Feed {FeedId} poll stopped: shutting down")]
    private partial void LogPollAborted(string feedId);
}
