using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;

namespace Atlas.Bot.Commands;

/// <summary>
/// Handles the updates waiting in the inbox, oldest first, one at a time, and marks each handled. Handlers only
/// queue replies (keyed by update) and make idempotent changes, so an update handled again after a crash between
/// handling and marking adds nothing visible. A handler that throws is logged and its update marked with the
/// error: one bad update never blocks the ones behind it.
/// </summary>
public sealed partial class UpdateProcessor(
    Store store,
    CommandRouter router,
    ReceivingSide receiving,
    OutboxSignal outbox,
    TimeProvider time,
    ILogger<UpdateProcessor> log) : BackgroundService
{
    private const int BatchSize = 50;
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);
    private static readonly TimeSpan KeepHandled = TimeSpan.FromDays(7);

    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
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
    }

    /// <summary>Handles one batch of waiting updates; returns how many there were.</summary>
    internal async Task<int> HandlePendingAsync(CancellationToken ct)
    {
        var batch = await store.UnhandledUpdatesAsync(BatchSize, ct);
        foreach (var update in batch)
        {
            await HandleAsync(update, ct);
        }

        return batch.Count;
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
        var context = new CommandContext(store, stored.UpdateId, time.GetUtcNow(), language, botUsername);
        string? error = null;
        try
        {
            await router.RouteAsync(update, context, ct);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The one catch-all for handlers: a bug in one command must not stop the others.
            error = $"{exception.GetType().Name}: {exception.Message}";
            LogHandlerFailed(stored.UpdateId, CommandRouter.Describe(update, botUsername), error);
            LogHandlerException(exception, stored.UpdateId);
        }

        await store.MarkHandledAsync(stored.UpdateId, error, time.GetUtcNow(), ct);
        if (context.Queued > 0)
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

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Update {UpdateId} failed with")]
    private partial void LogHandlerException(Exception exception, long updateId);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Update {UpdateId} is not an update Telegram.Bot can read; skipped")]
    private partial void LogUnreadable(long updateId);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Debug, Message = "Pruned {Count} handled updates older than a week from the inbox")]
    private partial void LogPruned(int count);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Error, Message = "Update processing failed; retrying in a second")]
    private partial void LogLoopFailed(Exception exception);
}
