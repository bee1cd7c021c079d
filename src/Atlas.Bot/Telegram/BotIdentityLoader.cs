using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Bot.Telegram;

/// <summary>
/// Asks getMe who the bot is, once, in the background: a network outage at start delays it (with backoff) but blocks
/// nothing else. A refused token is logged once, plainly, and the service keeps running: sends fail with reasons too.
/// </summary>
public sealed partial class BotIdentityLoader(
    ITelegramBotClient client,
    BotIdentity identity,
    IOptions<UpdateReceivingOptions> options,
    TimeProvider time,
    ILogger<BotIdentityLoader> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = new RetryStreak(options.Value.FirstRetryDelay, options.Value.MaxRetryDelay);
        var known = await retry.UntilDoneAsync(
            async ct =>
            {
                var me = await client.GetMe(ct);
                identity.Learn(new BotAccount(me.Id, me.Username ?? ""));
                LogKnown(me.Username, me.Id);
            },
            (failure, step) => LogFailed(step.FirstOfKind ? LogLevel.Warning : LogLevel.Debug, failure.Reason, step.Delay.TotalSeconds),
            time,
            stoppingToken);
        if (!known && !stoppingToken.IsCancellationRequested)
        {
            LogTokenRefused();
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Telegram knows this bot as @{Username} (id {BotId})")]
    private partial void LogKnown(string? username, long botId);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "The bot token was refused by Telegram (401 Unauthorized): check Telegram__BotToken")]
    private partial void LogTokenRefused();

    [LoggerMessage(EventId = 4003, Message = "Cannot learn the bot's username yet: {Reason}; retrying in {Seconds} s")]
    private partial void LogFailed(LogLevel level, string reason, double seconds);
}
