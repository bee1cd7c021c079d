namespace Atlas.Bot.Telegram;

/// <summary>The wait before the next attempt, and whether this failure's kind is new in the streak (worth a Warning).</summary>
public readonly record struct RetryStep(TimeSpan Delay, bool FirstOfKind);

/// <summary>
/// Consecutive failures of one loop: the wait doubles from the first delay up to the maximum, and each kind of failure
/// is reported once per streak, so an outage of an hour is a few log lines, not thousands. A success ends the streak.
/// </summary>
public sealed class RetryStreak(TimeSpan firstDelay, TimeSpan maxDelay)
{
    private readonly HashSet<ApiFailureKind> _kinds = [];

    public int Failures { get; private set; }

    /// <param name="failure">What went wrong; null for a failure that is not the API's (it is logged where it happens).</param>
    public RetryStep Fail(ApiFailure? failure)
    {
        var backoff = firstDelay * Math.Pow(2, Math.Min(Failures, 30));
        var delay = backoff > maxDelay ? maxDelay : backoff;
        // Telegram's own retry_after wins when it asks for longer.
        if (failure?.RetryAfter is { } asked && asked > delay)
        {
            delay = asked;
        }

        Failures++;
        return new RetryStep(delay, failure is not null && _kinds.Add(failure.Kind));
    }

    /// <summary>Ends the streak; returns how many failures it had (0: there was none).</summary>
    public int Succeed()
    {
        var failures = Failures;
        Failures = 0;
        _kinds.Clear();
        return failures;
    }
}
