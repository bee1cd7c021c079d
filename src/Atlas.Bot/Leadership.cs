using System.Collections.Concurrent;
using Atlas.Bot.Storage;

namespace Atlas.Bot;

/// <summary>
/// Jobs that one replica does at a time (getUpdates, the sending loop): the replica holding a job's lease row runs it,
/// the others stand by and try again every few seconds. Here rather than in a feature folder because Telegram/ and
/// Delivery/ both use it and neither may depend on the other.
/// </summary>
/// <remarks>
/// A holder renews every <see cref="Renewal"/>; one that cannot renew stops leading <see cref="Margin"/> before its
/// lease ends, measured on its own clock from the moment it asked, so it is done before anyone else may take the job.
/// A replica that dies is replaced once its lease ends: at most <see cref="Lease"/> + <see cref="StandbyRetry"/> after its
/// last renewal. A clean stop deletes the row, so a rolling upgrade hands over within <see cref="StandbyRetry"/>.
/// </remarks>
public sealed partial class Leadership(Store store, ReplicaIdentity replica, BotMetrics metrics, TimeProvider time, ILogger<Leadership> log) : IDisposable
{
    /// <summary>Long polling with getUpdates: Telegram answers 409 Conflict to a second poller.</summary>
    public const string TelegramUpdates = "telegram-updates";

    /// <summary>The dispatcher's sending loop: one sender keeps Telegram's limits for all replicas together.</summary>
    public const string DeliveryDispatcher = "delivery-dispatcher";

    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    /// <summary>The dead process this one replaced on its host, if any: what it had claimed was on the wire when it died.</summary>
    public string? Predecessor => replica.Predecessor;

    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A holder stops this long before its lease ends. The dispatcher gives sends on the wire 5 s once told to stop
    /// (its shutdown grace), so they are answered before another replica may start sending.
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan StandbyRetry = TimeSpan.FromSeconds(2);

    /// <summary>After a renewal that failed (the database busy or away), the next try comes sooner than a renewal.</summary>
    private static readonly TimeSpan RenewalRetry = TimeSpan.FromSeconds(1);

    /// <summary>The jobs this process leads now, each with its term: what follows a job runs for as long as the term lasts.</summary>
    private readonly ConcurrentDictionary<string, Term> _terms = new(StringComparer.Ordinal);

    private readonly TermStarted _termStarted = new();

    /// <summary>
    /// Runs <paramref name="follow"/> whenever this process leads <paramref name="job"/> (through <see cref="RunAsync"/>,
    /// elsewhere in it), with a token cancelled when that term ends, and waits for the next term otherwise. The term ends
    /// only once <paramref name="follow"/> has returned, so it never overlaps another replica's term. Work that must share
    /// the leader's Telegram budget, like handling commands whose answers the leader sends, follows it instead of holding
    /// a lease of its own.
    /// </summary>
    public async Task FollowAsync(string job, Func<CancellationToken, Task> follow, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            if (_terms.TryGetValue(job, out var term) && term.TryJoin(follow, stopping) is { } following)
            {
                await following;
                continue;
            }

            await _termStarted.WaitAsync(StandbyRetry, time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Runs <paramref name="lead"/> whenever this replica holds <paramref name="job"/>'s lease, until
    /// <paramref name="stopping"/>. The token <paramref name="lead"/> gets is cancelled when the lease is lost (before
    /// it ends) or at shutdown; <paramref name="lead"/> returns soon after, and is started again should the lease come
    /// back. When <paramref name="lead"/> returns by itself the job is over: the lease is released and this returns.
    /// </summary>
    public async Task RunAsync(string job, Func<CancellationToken, Task> lead, CancellationToken stopping)
    {
        var failures = 0;
        string? standingBehind = null;
        // A replica standing by shows 0 rather than nothing.
        metrics.Leading(job, false);
        while (!stopping.IsCancellationRequested)
        {
            LeaseHold hold;
            long asked;
            try
            {
                asked = time.GetTimestamp();
                var now = time.GetUtcNow();
                // A dead predecessor's lease (this host, after a crash) is taken at once rather than when it runs out.
                hold = await store.TryHoldLeaseAsync(job, replica.Id, now, now + Lease, stopping, replica.Predecessor);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The one catch-all of the standby loop: the database away for a while must not end the job for good.
                LogAttemptFailed(failures++ == 0 ? LogLevel.Warning : LogLevel.Debug, exception, job);
                await Task.Delay(StandbyRetry, time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            failures = 0;
            if (!hold.Held)
            {
                if (hold.Holder != standingBehind)
                {
                    LogStandingBy(job, hold.Holder ?? "nobody", hold.Until);
                    standingBehind = hold.Holder;
                }

                await Task.Delay(StandbyRetry, time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            standingBehind = null;
            if (!await LeadAsync(job, lead, asked, hold.Until, stopping))
            {
                return;
            }
        }
    }

    /// <summary>Leads until the lease is lost (true: stand by again) or the job is over (false).</summary>
    private async Task<bool> LeadAsync(string job, Func<CancellationToken, Task> lead, long asked, DateTimeOffset until, CancellationToken stopping)
    {
        using var deadline = new CancellationTokenSource(UntilStop(asked), time);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token);
        LogLeading(job, replica.Id, until);
        metrics.Leading(job, true);
        var term = new Term(leading.Token);
        _terms[job] = term;
        _termStarted.Notify();
        var renewals = RenewAsync(job, deadline, leading.Token);
        var lost = false;
        try
        {
            await Task.Run(() => lead(leading.Token), CancellationToken.None);
        }
        finally
        {
            // The job returned: stop renewing, then either stand by (lost) or hand the lease over (shutdown, job over).
            lost = deadline.IsCancellationRequested && !stopping.IsCancellationRequested;
            await leading.CancelAsync();
            _terms.TryRemove(new KeyValuePair<string, Term>(job, term));
            await term.EndAsync();
            var takenBy = await renewals;
            metrics.Leading(job, false);
            if (lost)
            {
                LogLost(job, takenBy ?? "not renewed in time", Margin.TotalSeconds);
            }
            else
            {
                await ReleaseAsync(job);
            }
        }

        return lost;
    }

    /// <summary>Renews every <see cref="Renewal"/> and moves the stop forward; returns who took the lease over, if anyone did.</summary>
    private async Task<string?> RenewAsync(string job, CancellationTokenSource deadline, CancellationToken leading)
    {
        var wait = Renewal;
        var failures = 0;
        while (true)
        {
            try
            {
                await Task.Delay(wait, time, leading);
                var asked = time.GetTimestamp();
                var now = time.GetUtcNow();
                var hold = await store.TryHoldLeaseAsync(job, replica.Id, now, now + Lease, leading);
                if (!hold.Held)
                {
                    // Only after the lease ran out (a clock far ahead on the other side, or a renewal that never came).
                    await deadline.CancelAsync();
                    return $"taken over by {hold.Holder}";
                }

                var remaining = UntilStop(asked);
                if (remaining <= TimeSpan.Zero)
                {
                    // Answered too late to count: the old stop stands (it has passed or is about to).
                    continue;
                }

                deadline.CancelAfter(remaining);
                wait = Renewal;
                failures = 0;
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception exception)
            {
                // The stop is still set for the last lease that was granted: nothing here can extend it by mistake.
                if (failures++ == 0)
                {
                    LogRenewalFailed(exception, job);
                }

                wait = RenewalRetry;
            }
        }
    }

    private async Task ReleaseAsync(string job)
    {
        try
        {
            await store.ReleaseLeaseAsync(job, replica.Id, CancellationToken.None);
            LogReleased(job);
        }
        catch (Exception exception)
        {
            // Not worse than a crash: the others take the job when the lease runs out.
            LogReleaseFailed(exception, job);
        }
    }

    /// <summary>How long from now until a lease asked for at <paramref name="asked"/> must no longer be acted on.</summary>
    private TimeSpan UntilStop(long asked)
    {
        var remaining = Lease - Margin - time.GetElapsedTime(asked);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Leading {Job} as {Replica} (lease until {Until:O}, renewed every 5 s)")]
    private partial void LogLeading(string job, string replica, DateTimeOffset until);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Standing by for {Job}: held by {Holder} until {Until:O}")]
    private partial void LogStandingBy(string job, string holder, DateTimeOffset until);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Stopped leading {Job} ({Reason}), {Margin} s before the lease ends; standing by")]
    private partial void LogLost(string job, string reason, double margin);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Information, Message = "Released {Job}: another replica may take it now")]
    private partial void LogReleased(string job);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "Renewing the lease of {Job} failed; trying again every second until the lease's margin")]
    private partial void LogRenewalFailed(Exception exception, string job);

    [LoggerMessage(EventId = 8006, Message = "Asking for the lease of {Job} failed; trying again every 2 s")]
    private partial void LogAttemptFailed(LogLevel level, Exception exception, string job);

    [LoggerMessage(EventId = 8007, Level = LogLevel.Warning, Message = "Releasing {Job} failed; the others take it when the lease ends")]
    private partial void LogReleaseFailed(Exception exception, string job);

    public void Dispose() => _termStarted.Dispose();

    /// <summary>One term of leading a job in this process: the work that follows it, which the term waits for at its end.</summary>
    private sealed class Term(CancellationToken leading)
    {
        private readonly Lock _gate = new();
        private readonly List<Task> _following = [];
        private bool _ended;

        /// <summary>Starts <paramref name="follow"/> within this term; null when the term is over.</summary>
        public Task? TryJoin(Func<CancellationToken, Task> follow, CancellationToken stopping)
        {
            lock (_gate)
            {
                if (_ended || leading.IsCancellationRequested)
                {
                    return null;
                }

                var following = FollowAsync(follow, stopping);
                _following.Add(following);
                return following;
            }
        }

        /// <summary>After the token was cancelled: waits for what follows the term to return.</summary>
        public async Task EndAsync()
        {
            Task[] following;
            lock (_gate)
            {
                _ended = true;
                following = [.. _following];
            }

            // A follower's own failure is its own to log; the term ends either way.
            await Task.WhenAll(following).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        private async Task FollowAsync(Func<CancellationToken, Task> follow, CancellationToken stopping)
        {
            using var term = CancellationTokenSource.CreateLinkedTokenSource(leading, stopping);
            try
            {
                await Task.Run(() => follow(term.Token), CancellationToken.None);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested)
            {
                // The term or the process ended: that is how following stops.
            }

            // A follower that returns while the term goes on would be started again at once: let it wait for the next term.
            if (!term.IsCancellationRequested)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, term.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private sealed class TermStarted : Signal;
}
