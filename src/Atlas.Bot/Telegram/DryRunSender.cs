using System.Text;
using Atlas.Bot.Posts;
using Telegram.Bot.Extensions;

namespace Atlas.Bot.Telegram;

/// <summary>
/// <c>--dry-run</c>: every post is printed to standard output as it would read in Telegram, and counted
/// as sent, so the whole pipeline (schedule, storage, outbox, pacing) runs without a token.
/// </summary>
public sealed class DryRunSender(TextWriter output) : ITelegramSender
{
    private readonly Lock _gate = new();
    private int _messageId;

    public Task<SendResult> SendAsync(string chat, OutgoingMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            output.Write(Render(chat, message));
            output.Flush();
            return Task.FromResult<SendResult>(new SendResult.Sent(++_messageId));
        }
    }

    public Task<SendResult> EditAsync(string chat, int messageId, string? shownPhoto, OutgoingMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            output.Write(Render(chat, message).Replace(" ────", $" (edits message {messageId}) ────", StringComparison.Ordinal));
            output.Flush();
            return Task.FromResult<SendResult>(new SendResult.Sent(messageId));
        }
    }

    public static string Render(string chat, OutgoingMessage message)
    {
        var post = message.Post;
        var text = new StringBuilder();
        text.Append("──── to ").Append(chat);
        if (message.ThreadId is { } thread)
        {
            text.Append(" topic ").Append(thread);
        }

        text.AppendLine(message.Silent ? " (silent) ────" : " ────");
        if (message.Form == PostForm.Formatted && post is { PhotoUrl: not null, CaptionHtml: not null })
        {
            text.Append("[photo] ").AppendLine(post.PhotoUrl).AppendLine(HtmlText.ToPlain(post.CaptionHtml));
        }
        else
        {
            text.AppendLine(HtmlText.ToPlain(post.TextHtml));
        }

        if (post.ButtonUrl is not null)
        {
            text.Append("[ ").Append(post.ButtonText).Append(" ] → ").AppendLine(post.ButtonUrl);
        }

        return text.AppendLine().ToString();
    }
}
