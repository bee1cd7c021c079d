namespace Atlas.Bot.Telegram;

/// <summary>The edge to Telegram: the real <see cref="TelegramSender"/>, or the console in a dry run.</summary>
public interface ITelegramSender
{
    Task<SendResult> SendAsync(string chat, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Makes message <paramref name="messageId"/> show <paramref name="message"/> as far as Telegram allows: a text message
    /// stays text, a photo message keeps a photo (<paramref name="shownPhoto"/>, replaced when the post's differs).
    /// "Not modified" is success (<see cref="SendResult.Sent"/>); a deleted message is <see cref="SendResult.MessageGone"/>.
    /// </summary>
    Task<SendResult> EditAsync(string chat, int messageId, string? shownPhoto, OutgoingMessage message, CancellationToken cancellationToken);
}
