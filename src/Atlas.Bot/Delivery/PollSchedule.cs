using Quartz;

namespace Atlas.Bot.Delivery;

/// <summary>The feeds' Quartz schedule as the admin commands see it: when each feed polls next, and "poll now".</summary>
public sealed class PollSchedule(ISchedulerFactory schedulers)
{
    /// <summary>The earliest next fire time of the feed's triggers; null when nothing is scheduled.</summary>
    public async Task<DateTimeOffset?> NextRunAsync(string feedId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var triggers = await scheduler.GetTriggersOfJob(PollJob.KeyFor(feedId), ct);
        return triggers.Select(trigger => trigger.NextFireTimeUtc).Where(next => next is not null).Min();
    }

    /// <summary>Polls the feed now, outside its schedule; false when the feed has no job.</summary>
    public async Task<bool> PollNowAsync(string feedId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var job = PollJob.KeyFor(feedId);
        if (await scheduler.GetJobDetail(job, ct) is null)
        {
            return false;
        }

        await scheduler.TriggerJob(job, ct);
        return true;
    }
}
