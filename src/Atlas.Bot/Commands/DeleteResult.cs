using Atlas.Bot.Telegram;
using Telegram.Bot.Exceptions;

namespace Atlas.Bot.Commands;

/// <summary>What Telegram made of a deleteMessage.</summary>
public abstract record DeleteResult
{
    private DeleteResult() { }

    /// <param name="AlreadyGone">Telegram did not find it: deleted before, by the bot or by someone else.</param>
    public sealed record Deleted(bool AlreadyGone) : DeleteResult;

    /// <summary>Telegram said no, and asking again will not change that.</summary>
    /// <param name="TooOld">The 48-hour rule: a bot may delete its messages only within 48 hours of sending them.</param>
    /// <param name="Description">Telegram's own words.</param>
    public sealed record Refused(bool TooOld, string Description) : DeleteResult;

    /// <summary>No answer, a server error or a 429: worth asking again later.</summary>
    public sealed record Failed(string Reason) : DeleteResult;

    /// <summary>
    /// Telegram's words for deleteMessage (tdlib's, passed on by the Bot API): "message to delete not found", and from the
    /// 48th hour "message can't be deleted" (supergroups, channels) or "message can't be deleted for everyone" (private
    /// chats, basic groups).
    /// </summary>
    public static DeleteResult From(Exception exception) => exception switch
    {
        ApiRequestException { ErrorCode: 400 } api when Says(api, "message to delete not found") => new Deleted(AlreadyGone: true),
        ApiRequestException { ErrorCode: 400 } api when Says(api, "message can't be deleted") => new Refused(TooOld: true, Words(api)),
        ApiRequestException { ErrorCode: 400 or 403 } api => new Refused(TooOld: false, Words(api)),
        _ => new Failed(ApiFailure.From(exception).Reason),
    };

    private static bool Says(ApiRequestException api, string words) => api.Message.Contains(words, StringComparison.OrdinalIgnoreCase);

    private static string Words(ApiRequestException api) => TokenRedaction.Scrub(api.Message);
}
