namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>A message the fake accepted, exactly as the client sent it.</summary>
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
    FakeUpload? Upload = null);

/// <summary>One inline keyboard button of a sent message.</summary>
public sealed record SentButton(string Text, string? Url, string? CallbackData);

/// <summary>An editMessageText the fake accepted.</summary>
public sealed record EditedMessage(string Chat, int MessageId, string Text, string? ParseMode);

/// <summary>An answerCallbackQuery the fake accepted.</summary>
public sealed record CallbackAnswer(string CallbackQueryId, string? Text);

/// <summary>A send the fake refused with 429 because it passed a flood limit.</summary>
/// <param name="Chat">The chat as addressed.</param>
public sealed record FloodRefusal(string Chat, DateTimeOffset At);
