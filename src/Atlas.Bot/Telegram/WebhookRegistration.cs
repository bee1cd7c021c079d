using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Bot.Telegram;

/// <summary>
/// Webhook mode: tells Telegram where to post updates and which secret to send with them, at start, retrying with
/// backoff until Telegram accepts. Updates queued meanwhile are kept (drop_pending_updates false).
/// </summary>
public sealed partial class WebhookRegistration(
    ITelegramBotClient client,
    IOptions<TelegramOptions> telegram,
    IOptions<UpdateReceivingOptions> options,
    TimeProvider time,
    ILogger<WebhookRegistration> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var url = telegram.Value.WebhookUrl ?? "";
        var retry = new RetryStreak(options.Value.FirstRetryDelay, options.Value.MaxRetryDelay);
        var registered = await retry.UntilDoneAsync(
            async ct =>
            {
                await client.SetWebhook(url, allowedUpdates: AllowedUpdates.Types, dropPendingUpdates: false,
                    secretToken: telegram.Value.WebhookSecret, cancellationToken: ct);
                LogRegistered(url);
            },
            (failure, step) => LogFailed(step.FirstOfKind ? LogLevel.Warning : LogLevel.Debug, url, failure.Reason, step.Delay.TotalSeconds),
            time,
            stoppingToken);
        if (!registered && !stoppingToken.IsCancellationRequested)
        {
            LogTokenRefused();
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Webhook set: Telegram posts updates to {Url}")]
    private partial void LogRegistered(string url);

    [LoggerMessage(EventId = 4202, Message = "Setting the webhook to {Url} failed: {Reason}; retrying in {Seconds} s")]
    private partial void LogFailed(LogLevel level, string url, string reason, double seconds);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Error,
        Message = "Cannot set the webhook: the bot token was refused by Telegram (401 Unauthorized): check Telegram__BotToken")]
    private partial void LogTokenRefused();
}
