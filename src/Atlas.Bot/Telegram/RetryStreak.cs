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

    /// <summary>
    /// Calls <paramref name="call"/> until it succeeds, waiting between failures as the streak says. Returns false,
    /// without retrying, when Telegram refused the token (401: waiting cannot fix that), and when stopped.
    /// </summary>
    public async Task<bool> UntilDoneAsync(Func<CancellationToken, Task> call, Action<ApiFailure, RetryStep> failed, TimeProvider time, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            ApiFailure failure;
            try
            {
                await call(ct);
                Succeed();
                return true;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception exception) when (ApiFailure.IsApiFailure(exception))
            {
                failure = ApiFailure.From(exception);
            }

            if (failure.Kind == ApiFailureKind.Unauthorized)
            {
                return false;
            }

            var step = Fail(failure);
            failed(failure, step);
            await Task.Delay(step.Delay, time, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return false;
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
