using System.Globalization;
using Atlas.Bot.Posts;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Atlas.Bot.Telegram;

/// <summary>
/// Sends one message to one chat and says what Telegram made of it. Never throws for Telegram or network failures:
/// they come back as <see cref="SendResult"/> values; only the caller's own cancellation propagates.
/// Pacing is not done here: the client's automatic 429 retry must be off (RetryThreshold = 0) and the caller asks
/// <see cref="RateGovernor"/> first.
/// </summary>
public sealed partial class TelegramSender(ITelegramBotClient client, ILogger<TelegramSender> logger, TimeProvider? time = null) : ITelegramSender
{
    /// <summary>
    /// How long one send may take. The client's own timeout (100 s) must stay long for getUpdates' long polls; a send
    /// that hangs that long would hold its chat and a dispatcher slot, so it fails sooner and is retried.
    /// </summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    /// <param name="chat">"@channelname" or a numeric chat id, as stored.</param>
    public async Task<SendResult> SendAsync(string chat, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(message);
        if (ParseChat(chat) is not { } chatId)
        {
            return Log(chat, new SendResult.Rejected(RejectKind.Other, $"Not a chat id or @username: \"{chat}\""));
        }

        var post = message.Post;
        Uri? photo = null;
        var asPhoto = message.Form == PostForm.Formatted && post is { PhotoUrl: not null, CaptionHtml: not null };
        if (asPhoto && !TryParseWebUri(post.PhotoUrl!, out photo))
        {
            return Log(chat, new SendResult.Rejected(RejectKind.Photo, $"Not an absolute http(s) URL: \"{post.PhotoUrl}\""));
        }

        var markup = Buttons(post);
        var (text, parseMode) = TextOf(message);
        var preview = PreviewOf(message);
        return await SendAsync(
            chat,
            photo is not null
                ? token => client.SendPhoto(chatId, InputFile.FromUri(photo), post.CaptionHtml, ParseMode.Html, replyMarkup: markup,
                    messageThreadId: message.ThreadId, disableNotification: message.Silent,
                    allowPaidBroadcast: message.AllowPaidBroadcast, cancellationToken: token)
                : token => client.SendMessage(chatId, text, parseMode, replyMarkup: markup, linkPreviewOptions: preview,
                    messageThreadId: message.ThreadId, disableNotification: message.Silent,
                    allowPaidBroadcast: message.AllowPaidBroadcast, cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SendResult> EditAsync(string chat, int messageId, string? shownPhoto, OutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(message);
        if (ParseChat(chat) is not { } chatId)
        {
            return Log(chat, new SendResult.Rejected(RejectKind.Other, $"Not a chat id or @username: \"{chat}\""));
        }

        var post = message.Post;
        // Telegram drops the buttons of an edit that does not repeat them.
        var markup = Buttons(post);
        Func<CancellationToken, Task<Message>> edit;
        if (shownPhoto is null)
        {
            if (post.PhotoUrl is not null)
            {
                // A text message cannot become a photo: the words are corrected, the new picture is not shown.
                LogPictureNotShown(chat, messageId, post.PhotoUrl);
            }

            var (text, parseMode) = TextOf(message);
            var preview = PreviewOf(message);
            edit = token => client.EditMessageText(chatId, messageId, text, parseMode, linkPreviewOptions: preview, replyMarkup: markup, cancellationToken: token);
        }
        else
        {
            if (post.PhotoUrl is null)
            {
                // A photo cannot be taken off a message: the caption is corrected, the old picture stays.
                LogPictureKept(chat, messageId, shownPhoto);
            }

            var caption = post.CaptionHtml ?? HtmlText.Truncate(post.TextHtml, PostFormatter.CaptionLimit);
            edit = post.PhotoUrl is { } photo && photo != shownPhoto && TryParseWebUri(photo, out var uri)
                ? token => client.EditMessageMedia(chatId, messageId, new InputMediaPhoto(InputFile.FromUri(uri!)) { Caption = caption, ParseMode = ParseMode.Html },
                    replyMarkup: markup, cancellationToken: token)
                : token => client.EditMessageCaption(chatId, messageId, caption, ParseMode.Html, replyMarkup: markup, cancellationToken: token);
        }

        return await SendAsync(chat, edit, cancellationToken).ConfigureAwait(false) switch
        {
            // The message shows this already: a repeat after a crash, or a change Telegram does not see.
            SendResult.Rejected { Reason: var reason } when reason.Contains("message is not modified", StringComparison.OrdinalIgnoreCase) => new SendResult.Sent(messageId),
            SendResult.Rejected { Reason: var reason } when reason.Contains("message to edit not found", StringComparison.OrdinalIgnoreCase) => new SendResult.MessageGone(reason),
            var result => result,
        };
    }

    /// <summary>The post's text as its form shows it: HTML, or in the plain form the same words without markup.</summary>
    private static (string Text, ParseMode Mode) TextOf(OutgoingMessage message) =>
        message.Form == PostForm.Plain ? (HtmlText.ToPlain(message.Post.TextHtml), ParseMode.None) : (message.Post.TextHtml, ParseMode.Html);

    /// <summary>The article's own preview stands in for a photo that could not be sent; a formatted text post has none.</summary>
    private static LinkPreviewOptions PreviewOf(OutgoingMessage message) => new() { IsDisabled = message.Form == PostForm.Formatted };

    /// <summary>A plain reply in HTML without a link preview, e.g. the answer to a command.</summary>
    public Task<SendResult> SendTextAsync(long chat, string html, CancellationToken cancellationToken) =>
        SendAsync(chat.ToString(CultureInfo.InvariantCulture), new OutgoingMessage(Post.Text(html)), cancellationToken);

    /// <summary>One call to Telegram within <see cref="SendTimeout"/>, its answer classified.</summary>
    private async Task<SendResult> SendAsync(string chat, Func<CancellationToken, Task<Message>> send, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(SendTimeout, time ?? TimeProvider.System);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var sent = await send(linked.Token).ConfigureAwait(false);
            return Log(chat, new SendResult.Sent(sent.Id));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (SendFailureClassifier.IsSendFailure(exception))
        {
            return Log(chat, SendFailureClassifier.Classify(exception));
        }
    }

    private static ChatId? ParseChat(string chat) =>
        chat.Length > 1 && chat[0] == '@' ? new ChatId(chat)
        : long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) && id != 0 ? new ChatId(id)
        : null;

    private static bool TryParseWebUri(string url, out Uri? uri) =>
        Uri.TryCreate(url, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>The post's rows of buttons, else its single link button, else none.</summary>
    private static InlineKeyboardMarkup? Buttons(Post post) =>
        InlineKeyboards.Markup(post.Keyboard)
        ?? (post is { ButtonText: { Length: > 0 } text, ButtonUrl: { Length: > 0 } url }
            ? new InlineKeyboardMarkup(InlineKeyboardButton.WithUrl(text, url))
            : null);

    private SendResult Log(string chat, SendResult result)
    {
        switch (result)
        {
            case SendResult.Sent sent:
                LogSent(chat, sent.MessageId);
                break;
            case SendResult.Failed or SendResult.RetryAfter:
                LogRetryable(chat, result);
                break;
            default:
                LogRefused(chat, result);
                break;
        }

        return result;
    }

    [LoggerMessage(EventId = 4404, Level = LogLevel.Information, Message = "Message {MessageId} in {Chat} is text and cannot show the corrected post's picture {Photo}: only its words are edited")]
    private partial void LogPictureNotShown(string chat, int messageId, string photo);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Information, Message = "The corrected post in {Chat} has no picture, but message {MessageId} keeps {Photo}: Telegram cannot take a photo off a message; only its caption is edited")]
    private partial void LogPictureKept(string chat, int messageId, string photo);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Debug, Message = "Sent message {MessageId} to {Chat}")]
    private partial void LogSent(string chat, int messageId);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "Send to {Chat} must be retried: {Result}")]
    private partial void LogRetryable(string chat, SendResult result);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "Telegram refused a message to {Chat}: {Result}")]
    private partial void LogRefused(string chat, SendResult result);
}
