using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Telegram.Bot.Extensions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Commands;

/// <summary>
/// /broadcast &lt;text&gt;: stores the announcement as a draft and shows it with a confirmation button; only its
/// author's press sends it, once, to every active subscriber through the outbox.
/// </summary>
public sealed class BroadcastCommand(Store store, Outbox outbox, TelegramCalls telegram)
{
    public const string SendPrefix = "bcast:";
    public const string CancelPrefix = "bcastno:";

    /// <summary>Leaves room for the draft's heading within Telegram's 4096 characters.</summary>
    private const int MaxLength = 3500;

    public async Task DraftAsync(Message message, CommandLine command, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat.Id;
        if (command.Arguments.Length == 0 || message.From is not { } author)
        {
            await context.ReplyAsync(chat, context.Text(TextNames.BroadcastUsage), ct);
            return;
        }

        // The admin's own formatting (bold, links) is kept: Telegram's entities become HTML, everything else is escaped.
        var html = HtmlText.ToHtml(command.Arguments, Shift(message.Entities, command.ArgumentsOffset, command.Arguments.Length));
        if (HtmlText.PlainLength(html) > MaxLength)
        {
            await context.ReplyAsync(chat, context.Text(TextNames.BroadcastTooLong, MaxLength), ct);
            return;
        }

        var seq = await store.CreateBroadcastDraftAsync(context.Key, html, author.Id, context.Now, ct);
        await context.ReplyAsync(chat, context.Text(TextNames.BroadcastDraft, html), ct,
        [
            [new InlineButton(context.Text(TextNames.BroadcastSend), CallbackData: $"{SendPrefix}{seq}")],
            [new InlineButton(context.Text(TextNames.BroadcastCancel), CallbackData: $"{CancelPrefix}{seq}")],
        ]);
    }

    public async Task ConfirmAsync(CallbackQuery query, long seq, CommandContext context, CancellationToken ct)
    {
        var queued = await outbox.ConfirmAnnouncementAsync(seq, query.From.Id, context.Now, ct);
        var text = queued is { } count ? context.Text(TextNames.BroadcastQueued, count) : context.Text(TextNames.BroadcastAlreadySent);
        await FinishAsync(query, text, context, ct);
    }

    public async Task CancelAsync(CallbackQuery query, long seq, CommandContext context, CancellationToken ct)
    {
        var cancelled = await store.CancelBroadcastAsync(seq, query.From.Id, ct);
        await FinishAsync(query, context.Text(cancelled ? TextNames.BroadcastCancelled : TextNames.BroadcastAlreadySent), context, ct);
    }

    /// <summary>Answers the press, says what happened in the chat, and takes the buttons away so nobody presses again.</summary>
    private async Task FinishAsync(CallbackQuery query, string text, CommandContext context, CancellationToken ct)
    {
        await telegram.AnswerCallbackAsync(query.Id, text, ct);
        if (query.Message is { } message)
        {
            await context.ReplyAsync(message.Chat.Id, text, ct);
            await telegram.EditKeyboardAsync(message.Chat.Id, message.Id, keyboard: null, ct);
        }
    }

    /// <summary>The message's entities that fall within the arguments, re-based to them; the command itself is dropped.</summary>
    private static MessageEntity[] Shift(MessageEntity[]? entities, int offset, int length) =>
        [.. (entities ?? [])
            .Where(entity => entity.Type != MessageEntityType.BotCommand && entity.Offset + entity.Length > offset && entity.Offset < offset + length)
            .Select(entity =>
            {
                var start = Math.Max(entity.Offset, offset);
                var end = Math.Min(entity.Offset + entity.Length, offset + length);
                return new MessageEntity
                {
                    Type = entity.Type, Offset = start - offset, Length = end - start,
                    Url = entity.Url, User = entity.User, Language = entity.Language, CustomEmojiId = entity.CustomEmojiId,
                };
            })];
}
