using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Bot.Telegram;

/// <summary>
/// Long polling: fetches updates from the stored offset and stores them with the next offset in one transaction,
/// so a crash neither loses an update nor fetches it twice; then wakes the processor. Nothing is handled here.
/// Of several replicas only the one leading <see cref="Leadership.TelegramUpdates"/> polls: Telegram answers a second
/// poller with 409 Conflict. A poller that loses the lease abandons its long poll at once.
/// </summary>
public sealed partial class UpdatePoller(
    ITelegramBotClient client,
    Store store,
    UpdateInbox inbox,
    Leadership leadership,
    IOptions<UpdateReceivingOptions> options,
    TimeProvider time,
    ILogger<UpdatePoller> log) : BackgroundService
{
    private const int BatchSize = 100;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leadership.RunAsync(Leadership.TelegramUpdates, PollWhileLeadingAsync, stoppingToken);

    /// <param name="stoppingToken">Cancelled at shutdown or when the lease is lost.</param>
    private async Task PollWhileLeadingAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var retry = new RetryStreak(settings.FirstRetryDelay, settings.MaxRetryDelay);
        var webhookRemoved = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            ApiFailure? failure;
            try
            {
                if (!webhookRemoved)
                {
                    // getUpdates answers 409 while a webhook is set (say, by an earlier deployment); its pending updates stay queued.
                    await client.DeleteWebhook(dropPendingUpdates: false, stoppingToken);
                    webhookRemoved = true;
                    LogPolling();
                }

                await PollOnceAsync(settings.LongPollSeconds, stoppingToken);
                if (retry.Succeed() is > 0 and var failures)
                {
                    LogRecovered(failures);
                }

                continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (ApiFailure.IsApiFailure(exception))
            {
                failure = ApiFailure.From(exception);
            }
            catch (Exception exception)
            {
                // The storage failed: nothing was stored and the offset did not move, so the next round fetches the same updates.
                LogStoringFailed(exception);
                failure = null;
            }

            if (failure?.Kind == ApiFailureKind.Unauthorized)
            {
                LogTokenRefused();
                return;
            }

            var step = retry.Fail(failure);
            if (failure is not null)
            {
                LogFailed(step.FirstOfKind ? LogLevel.Warning : LogLevel.Debug, failure.Reason, step.Delay.TotalSeconds);
            }

            await Task.Delay(step.Delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task PollOnceAsync(int longPollSeconds, CancellationToken ct)
    {
        var offset = await store.UpdateOffsetAsync(ct);
        var updates = await client.GetUpdates((int?)offset, BatchSize, longPollSeconds, AllowedUpdates.Types, ct);
        if (updates.Length == 0)
        {
            return;
        }

        await inbox.AddAsync(updates, nextOffset: updates.Max(update => update.Id) + 1L, ct);
        LogReceived(updates.Length, updates[0].Id, updates[^1].Id);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Receiving updates by long polling")]
    private partial void LogPolling();

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Stored {Count} updates ({First}..{Last})")]
    private partial void LogReceived(int count, int first, int last);

    [LoggerMessage(EventId = 4103, Message = "Receiving updates failed: {Reason}; retrying in {Seconds} s")]
    private partial void LogFailed(LogLevel level, string reason, double seconds);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Receiving updates again after {Failures} failed attempts")]
    private partial void LogRecovered(int failures);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error,
        Message = "Stopped receiving updates: the bot token was refused by Telegram (401 Unauthorized): check Telegram__BotToken")]
    private partial void LogTokenRefused();

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "Storing received updates failed; they will be fetched again")]
    private partial void LogStoringFailed(Exception exception);
}
