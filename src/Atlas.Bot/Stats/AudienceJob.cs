using Atlas.Bot.Feeds;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;
using Quartz;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Atlas.Bot.Stats;

/// <summary>
/// Once a day, each configured channel's member count (getChatMemberCount): the audience a post reaches,
/// since Telegram does not tell a bot how often a channel post was viewed. A read, not a send: no pacing needed.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class AudienceJob(
    ITelegramBotClient telegram,
    Store store,
    IOptions<FeedsOptions> feeds,
    StatsDays days,
    TimeProvider time,
    ILogger<AudienceJob> log) : IJob
{
    public static readonly JobKey Key = new("audience", "stats");

    /// <summary>Noon in the stats zone: well inside the day it is counted for.</summary>
    public const string Schedule = "0 0 12 * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var day = days.DayOf(time.GetUtcNow()).Key;
        foreach (var chat in feeds.Value.Feeds.SelectMany(feed => feed.ChannelEntries()).Select(entry => entry.Chat).Distinct(StringComparer.Ordinal))
        {
            try
            {
                ChatId chatId = long.TryParse(chat, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : chat;
                var members = await telegram.GetChatMemberCount(chatId, cancellationToken);
                await store.RecordAudienceAsync(day, chat, members, cancellationToken);
                LogSampled(chat, members);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One channel's failure (the bot removed, a network error) must not cost the others their sample.
                LogFailed(chat, TokenRedaction.Scrub(exception.Message));
            }
        }
    }

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Channel {Chat} has {Members} members")]
    private partial void LogSampled(string chat, int members);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Could not count the members of {Chat}: {Reason}")]
    private partial void LogFailed(string chat, string reason);
}
