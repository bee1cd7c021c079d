namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>A message the fake accepted, exactly as the client sent it (in <see cref="FakeBotApi.Messages"/>), or as it stands after its edits (<see cref="FakeBotApi.CurrentMessage"/>).</summary>
/// <param name="Chat">The chat as addressed: a numeric id or "@username".</param>
/// <param name="ChatId">The numeric id the fake resolved <paramref name="Chat"/> to.</param>
/// <param name="Text">The text as sent (HTML source in HTML mode); null for a photo.</param>
/// <param name="LinkPreviewDisabled">link_preview_options.is_disabled; null when the client sent no options.</param>
/// <param name="Upload">The photo's file when it was uploaded rather than given by URL or file_id.</param>
public sealed record SentMessage(
    string Chat,
    long ChatId,
    int MessageId,
    string? Text,
    string? ParseMode,
    string? Photo,
    string? Caption,
    IReadOnlyList<SentButton> Buttons,
    bool? LinkPreviewDisabled,
    DateTimeOffset At,
    FakeUpload? Upload = null)
{
    /// <summary>When the last accepted edit arrived (a keyboard's included); null while never edited.</summary>
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>disable_notification as sent: the message arrives without a sound.</summary>
    public bool DisableNotification { get; init; }

    /// <summary>message_thread_id as sent: the forum topic it went to; null for none.</summary>
    public int? MessageThreadId { get; init; }
}

/// <summary>One inline keyboard button of a sent message.</summary>
public sealed record SentButton(string Text, string? Url, string? CallbackData);

/// <summary>An edit of a message's content the fake accepted: the message as it stands after it.</summary>
/// <param name="Method">"editmessagetext", "editmessagecaption" or "editmessagemedia".</param>
/// <param name="Text">The new text as sent (HTML source in HTML mode); null for a photo.</param>
/// <param name="Photo">The photo's URL or file_id after the edit; null for a text message or an uploaded photo.</param>
/// <param name="Caption">The caption after the edit; null when the edit left none.</param>
/// <param name="ParseMode">The parse mode of the new text or caption.</param>
/// <param name="Buttons">The inline keyboard after the edit: an edit without reply_markup removes it, as Telegram does.</param>
/// <param name="At">When the edit arrived.</param>
/// <param name="Upload">The new photo's file when editMessageMedia uploaded it.</param>
public sealed record EditedMessage(
    string Chat,
    long ChatId,
    int MessageId,
    string Method,
    string? Text,
    string? Photo,
    string? Caption,
    string? ParseMode,
    IReadOnlyList<SentButton> Buttons,
    bool? LinkPreviewDisabled,
    DateTimeOffset At,
    FakeUpload? Upload = null);

/// <summary>An editMessageReplyMarkup the fake accepted: the message's new buttons (none when removed).</summary>
public sealed record KeyboardEdit(string Chat, long ChatId, int MessageId, IReadOnlyList<SentButton> Buttons);

/// <summary>A deleteMessage the fake accepted.</summary>
/// <param name="Chat">The chat as addressed.</param>
/// <param name="At">When the deletion arrived.</param>
public sealed record DeletedMessage(string Chat, long ChatId, int MessageId, DateTimeOffset At);

/// <summary>An answerCallbackQuery the fake accepted.</summary>
public sealed record CallbackAnswer(string CallbackQueryId, string? Text);

/// <summary>A send (or an edit or deletion the limits count) the fake refused with 429 because it passed a flood limit.</summary>
/// <param name="Chat">The chat as addressed.</param>
/// <param name="Method">The refused method in lower case, e.g. "sendmessage" or "editmessagetext".</param>
public sealed record FloodRefusal(string Chat, DateTimeOffset At, string Method = "sendmessage");
