namespace Atlas.Bot;

/// <summary>
/// The bot's operational metrics (System.Diagnostics.Metrics, meter "Atlas.Bot"), recorded where things
/// happen and exported at /metrics. Labels are bounded: feed ids, target kinds, results and reason
/// categories — never a chat id or a URL.
/// </summary>
public sealed class BotMetrics
{
    /// <param name="result">new_items, no_new_items, not_modified or failed.</param>
    /// <param name="reason">For failures: the reason in plain words, reduced to a category here.</param>
    public void PollCompleted(string feedId, string result, string? reason = null)
    {
    }

    public void FetchDuration(string feedId, TimeSpan duration)
    {
    }

    /// <summary>New items a poll found (0 when nothing was new).</summary>
    public void ItemsFound(string feedId, int count)
    {
    }

    /// <param name="target">channel, subscriber or reply.</param>
    /// <param name="result">sent, retried, gave_up, blocked, migrated or fell_back.</param>
    public void DeliveryCompleted(string target, string result)
    {
    }

    public void TooManyRequests()
    {
    }

    public void SendLatency(string target, TimeSpan latency)
    {
    }
}
