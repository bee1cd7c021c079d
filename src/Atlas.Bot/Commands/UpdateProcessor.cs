using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;

namespace Atlas.Bot.Commands;

/// <summary>
/// Handles the updates waiting in the inbox, oldest first, one at a time, and marks each handled. Each batch is claimed
/// first (leased to this process, <see cref="Lease"/>), so that replicas sharing one database handle each update once;
/// one that dies lets its updates go when the lease ends, and another handles them again. Handlers only
/// queue replies (keyed by update) and make idempotent changes, so an update handled again after a crash between
/// handling and marking adds nothing visible. A handler that fails on a transient database error (another process
/// holding the lock) is tried again a few times, a little later each time; one that still fails, or throws anything
/// else, is logged and its update marked with the error (the bot token scrubbed from it): one bad update never
/// blocks the ones behind it for long.
/// </summary>
public sealed partial class UpdateProcessor(
    Store store,
    Outbox queue,
    CommandRouter router,
    ReceivingSide receiving,
    OutboxSignal outbox,
    Leadership leadership,
    TimeProvider time,
    ILogger<UpdateProcessor> log) : BackgroundService
{
    private const int BatchSize = 50;

    /// <summary>
    /// How long an update is this process's once claimed, renewed as each update of a batch comes up: one handler with
    /// its retries (1 + 2 + 4 s) and its own calls fits many times over, and a dead replica's updates wait no longer.
    /// </summary>
    internal static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);
    private static readonly TimeSpan KeepHandled = TimeSpan.FromDays(7);

    /// <summary>The waits before each retry of a handler that failed on a transient database error; then it is given up.</summary>
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    /// <summary>
    /// Updates are handled where posts are sent: on the replica leading the dispatcher. The answers and the calls a
    /// handler makes (a button's toast, a chart) then go through the one governor that keeps Telegram's limits, and the
    /// reply budget sees every message a person sends, whichever replica received it.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.FollowAsync(Leadership.DeliveryDispatcher, HandleWhileLeadingAsync, stoppingToken);

    /// <param name="stoppingToken">Cancelled at shutdown or when this replica stops leading: either way its claims go back.</param>
    private async Task HandleWhileLeadingAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PruneIfDueAsync(stoppingToken);
                if (await HandlePendingAsync(stoppingToken) == 0)
                {
                    await receiving.Inbox.WaitAsync(IdleCheck, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The storage failed, not a handler (those are caught per update): log, pause briefly, carry on.
                LogLoopFailed(exception);
                await Task.Delay(IdleCheck, time, CancellationToken.None);
            }
        }

        await ReleaseClaimsAsync();
    }

    /// <summary>Claims one batch of waiting updates and handles it; returns how many were claimed.</summary>
    internal async Task<int> HandlePendingAsync(CancellationToken ct)
    {
        var batch = await store.ClaimUpdatesAsync(time.GetUtcNow(), BatchSize, Lease, ct);
        foreach (var update in batch)
        {
            // The batch's later updates wait for the earlier ones: each gets a fresh lease as its turn comes. One whose
            // lease ran out meanwhile (a long stall) may be another replica's now: that one handles it, this one does not.
            if (!await store.RenewUpdateLeaseAsync(update.UpdateId, time.GetUtcNow() + Lease, ct))
            {
                LogClaimLost(update.UpdateId);
                continue;
            }

            await HandleAsync(update, ct);
        }

        return batch.Count;
    }

    /// <summary>On the way out: what this process claimed and did not handle goes to another replica now, not after the lease.</summary>
    private async Task ReleaseClaimsAsync()
    {
        try
        {
            await store.ReleaseUpdatesAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            // The database is gone too: the lease still ends, and another replica handles them then.
            LogReleaseFailed(exception);
        }
    }

    private async Task HandleAsync(InboxUpdate stored, CancellationToken ct)
    {
        // Read as the receiving side stored it; Telegram.Bot's converters throw more than JsonException on odd input.
        if (!UpdateJson.TryParse(stored.Payload, out var update, out _))
        {
            LogUnreadable(stored.UpdateId);
            await store.MarkHandledAsync(stored.UpdateId, "unreadable: not an update Telegram.Bot understands", time.GetUtcNow(), ct);
            return;
        }

        var botUsername = await receiving.BotUsername(ct);
        var language = UiLanguage.From((update.Message?.From ?? update.CallbackQuery?.From ?? update.MyChatMember?.From)?.LanguageCode);
        var now = time.GetUtcNow();
        string? error = null;
        var queued = 0;
        for (var attempt = 0; ; attempt++)
        {
            // A fresh context each attempt: its replies are numbered from 0 again, so a retry queues nothing twice.
            var context = new CommandContext(queue, stored.UpdateId, now, language, botUsername);
            try
            {
                await router.RouteAsync(update, context, ct);
                break;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The one catch-all for handlers: a bug in one command must not stop the others.
                var failure = TokenRedaction.Scrub($"{exception.GetType().Name}: {exception.Message}");
                if (Store.IsTransient(exception) && attempt < RetryDelays.Length)
                {
                    LogRetrying(stored.UpdateId, CommandRouter.Describe(update, botUsername), failure, RetryDelays[attempt].TotalSeconds);
                    await Task.Delay(RetryDelays[attempt], time, ct);
                    continue;
                }

                error = attempt > 0 ? $"{failure} (after {attempt + 1} attempts)" : failure;
                LogHandlerFailed(stored.UpdateId, CommandRouter.Describe(update, botUsername), error);
                if (log.IsEnabled(LogLevel.Debug))
                {
                    // The stack trace too, as text: an exception logged as it is would carry a token in its message.
                    var detail = TokenRedaction.Scrub(exception.ToString());
                    LogHandlerException(stored.UpdateId, detail);
                }
                break;
            }
            finally
            {
                // What an attempt queued before it failed stays queued (keyed by update), so it wakes the outbox too.
                queued += context.Queued;
            }
        }

        if (!await store.MarkHandledAsync(stored.UpdateId, error, time.GetUtcNow(), ct))
        {
            // Its lease ran out while it was handled here: the replica that claimed it next handles it again, and the
            // replies' and audit's keys keep that from acting twice.
            LogClaimLost(stored.UpdateId);
        }

        if (queued > 0)
        {
            outbox.Notify();
        }
    }

    private async Task PruneIfDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (now < _nextPrune)
        {
            return;
        }

        _nextPrune = now + PruneEvery;
        var pruned = await store.PruneInboxAsync(now - KeepHandled, ct);
        if (pruned > 0)
        {
            LogPruned(pruned);
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Update {UpdateId} ({Command}) failed and is marked handled: {Error}")]
    private partial void LogHandlerFailed(long updateId, string command, string error);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Update {UpdateId} failed with {Exception}")]
    private partial void LogHandlerException(long updateId, string exception);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "Update {UpdateId} ({Command}) met a transient database error ({Error}); trying again in {Seconds} s")]
    private partial void LogRetrying(long updateId, string command, string error, double seconds);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Update {UpdateId} is not an update Telegram.Bot can read; skipped")]
    private partial void LogUnreadable(long updateId);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Debug, Message = "Pruned {Count} handled updates older than a week from the inbox")]
    private partial void LogPruned(int count);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "Update processing failed; retrying in a second")]
    private partial void LogLoopFailed(Exception exception);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning, Message = "Update {UpdateId} was claimed by another replica after this one's lease ran out; it is that replica's to handle and mark")]
    private partial void LogClaimLost(long updateId);

    [LoggerMessage(EventId = 3017, Level = LogLevel.Warning, Message = "Could not release the updates claimed by this process; another replica takes them when their lease ends")]
    private partial void LogReleaseFailed(Exception exception);
}
