using System.Globalization;
using Atlas.Bot.Posts;
using Atlas.Bot.Telegram;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Commands;

/// <summary>
/// The Bot API calls commands make directly, outside the outbox: they answer a button press or ask about a chat,
/// and are worth nothing later. Telegram's refusals and network failures are values (false, null), logged once.
/// </summary>
public sealed partial class TelegramCalls(ITelegramBotClient client, RateGovernor governor, ILogger<TelegramCalls> log)
{
    /// <summary>Stops the button's spinner, with a short notice when <paramref name="text"/> is set.</summary>
    public async Task<bool> AnswerCallbackAsync(string queryId, string? text, CancellationToken ct)
    {
        try
        {
            await client.AnswerCallbackQuery(queryId, text, cancellationToken: ct);
            return true;
        }
        catch (Exception exception) when (IsFailure(exception, ct))
        {
            // A press handled again after a restart is too old to answer: nobody is waiting any more.
            LogCallFailed("answerCallbackQuery", queryId, TokenRedaction.Scrub(exception.Message));
            return false;
        }
    }

    /// <summary>Replaces the inline keyboard of a message the bot sent; an edit counts against the chat's limits like a message.</summary>
    public async Task<bool> EditKeyboardAsync(long chat, int messageId, IReadOnlyList<IReadOnlyList<InlineButton>>? keyboard, CancellationToken ct)
    {
        try
        {
            using var turn = await UrgentTurnAsync(chat, ct);
            await client.EditMessageReplyMarkup(chat, messageId, InlineKeyboards.Markup(keyboard), cancellationToken: ct);
            return true;
        }
        catch (Exception exception) when (IsFailure(exception, ct))
        {
            // "message is not modified" after a repeated press is the usual case; the stored state is what counts.
            LogCallFailed("editMessageReplyMarkup", $"{chat}/{messageId}", TokenRedaction.Scrub(exception.Message));
            return false;
        }
    }

    /// <summary>Uploads <paramref name="image"/> as a photo with a plain-text caption; false when Telegram or the network refused.</summary>
    public async Task<bool> SendPhotoAsync(long chat, byte[] image, string fileName, string caption, CancellationToken ct)
    {
        try
        {
            using var turn = await UrgentTurnAsync(chat, ct);
            using var stream = new MemoryStream(image, writable: false);
            await client.SendPhoto(chat, InputFile.FromStream(stream, fileName), caption, cancellationToken: ct);
            return true;
        }
        catch (Exception exception) when (IsFailure(exception, ct))
        {
            LogCallFailed("sendPhoto", chat.ToString(CultureInfo.InvariantCulture), TokenRedaction.Scrub(exception.Message));
            return false;
        }
    }

    /// <summary>Whether <paramref name="userId"/> is the creator or an administrator of <paramref name="chat"/>; null when Telegram did not say.</summary>
    public async Task<bool?> IsChatAdminAsync(long chat, long userId, CancellationToken ct)
    {
        try
        {
            var member = await client.GetChatMember(chat, userId, ct);
            return member.Status is ChatMemberStatus.Creator or ChatMemberStatus.Administrator;
        }
        catch (Exception exception) when (IsFailure(exception, ct))
        {
            LogCallFailed("getChatMember", $"{chat}/{userId}", TokenRedaction.Scrub(exception.Message));
            return null;
        }
    }

    /// <summary>
    /// Deletes a message the bot sent to <paramref name="chat"/> (an id or "@username"). Telegram lets a bot delete its
    /// messages for 48 hours and refuses after that; a message already gone counts as deleted. Paced like a send: the
    /// governor does not know whether Telegram counts deletions, so it assumes they cost what a message costs.
    /// </summary>
    public async Task<DeleteResult> DeleteMessageAsync(string chat, int messageId, CancellationToken ct)
    {
        if (ChatOf(chat) is not { } chatId)
        {
            return new DeleteResult.Refused(TooOld: false, $"not a chat: {chat}");
        }

        SendTurn? turn = null;
        try
        {
            turn = await governor.WaitTurnAsync(chat, urgent: true, ct);
            await client.DeleteMessage(chatId, messageId, ct);
            return new DeleteResult.Deleted(AlreadyGone: false);
        }
        catch (Exception exception) when (IsFailure(exception, ct))
        {
            var result = DeleteResult.From(exception);
            if (exception is ApiRequestException { ErrorCode: 429 } tooMany)
            {
                var retryAfter = tooMany.Parameters?.RetryAfter is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : SendFailureClassifier.DefaultRetryAfter;
                turn?.Settle(TurnOutcome.TooManyRequests, retryAfter);
            }

            if (result is not DeleteResult.Deleted)
            {
                LogCallFailed("deleteMessage", $"{chat}/{messageId}", TokenRedaction.Scrub(exception.Message));
            }

            return result;
        }
        finally
        {
            turn?.Dispose();
        }
    }

    /// <summary>
    /// Someone just pressed or asked: urgent, so a running fan-out does not keep them waiting. The turn is disposed when
    /// the call returns or throws, which settles it as answered: a refused edit or photo is counted all the same.
    /// </summary>
    private ValueTask<SendTurn> UrgentTurnAsync(long chat, CancellationToken ct) =>
        governor.WaitTurnAsync(chat.ToString(CultureInfo.InvariantCulture), urgent: true, ct);

    private static ChatId? ChatOf(string chat) =>
        chat.Length > 1 && chat[0] == '@' ? new ChatId(chat)
        : long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) && id != 0 ? new ChatId(id)
        : null;

    private static bool IsFailure(Exception exception, CancellationToken ct) =>
        SendFailureClassifier.IsSendFailure(exception) && !ct.IsCancellationRequested;

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Telegram call {Method} for {Target} failed: {Reason}")]
    private partial void LogCallFailed(string method, string target, string reason);
}
