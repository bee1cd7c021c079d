namespace Atlas.Bot.Telegram;

/// <summary>The edge to Telegram: the real <see cref="TelegramSender"/>, or the console in a dry run.</summary>
public interface ITelegramSender
{
    Task<SendResult> SendAsync(string chat, OutgoingMessage message, CancellationToken cancellationToken);
}
