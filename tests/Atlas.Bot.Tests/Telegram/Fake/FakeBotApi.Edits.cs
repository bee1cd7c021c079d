using System.Collections.Concurrent;
using System.Text.Json;
using Telegram.Bot.Types;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>
/// Editing and deleting what the fake accepted, with Telegram's words for every refusal. Sources: the Bot API's pages for
/// editMessageText, editMessageCaption, editMessageMedia and deleteMessage, and tdlib's MessagesManager (edit_message_*,
/// delete_messages, can_revoke_message, can_delete_channel_message), whose "There is no ..." the Bot API server passes on
/// with its first letter in lower case.
/// </summary>
public sealed partial class FakeBotApi
{
    private const string NotModified =
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

    /// <summary>
    /// A bot may delete a message for 48 hours after sending it (Bot API, deleteMessage). Counted in whole seconds of the
    /// message's date, as tdlib does; refused from the 48th hour on everywhere, which is tdlib's rule for channels and
    /// supergroups and one second stricter than its rule for private chats and basic groups.
    /// </summary>
    private const long DeleteWindowSeconds = 48 * 60 * 60;

    /// <summary>Ids from here down are supergroups and channels; tdlib refuses their old messages in other words.</summary>
    private const long FirstChannelId = -1000000000000;

    private readonly Lock _liveGate = new();
    private readonly Dictionary<(long Chat, int Message), LiveMessage> _live = [];
    private readonly ConcurrentQueue<EditedMessage> _edits = new();
    private readonly ConcurrentQueue<KeyboardEdit> _keyboardEdits = new();
    private readonly ConcurrentQueue<DeletedMessage> _deletions = new();

    /// <summary>Every editMessageText, editMessageCaption and editMessageMedia accepted, in order.</summary>
    public IReadOnlyCollection<EditedMessage> Edits => _edits;

    /// <summary>Every editMessageReplyMarkup accepted, in order.</summary>
    public IReadOnlyCollection<KeyboardEdit> KeyboardEdits => _keyboardEdits;

    /// <summary>Every deleteMessage accepted, in order.</summary>
    public IReadOnlyCollection<DeletedMessage> Deletions => _deletions;

    /// <summary>The message as it stands after its accepted edits; null when the fake never accepted it or it was deleted.</summary>
    public SentMessage? CurrentMessage(long chatId, int messageId)
    {
        lock (_liveGate)
        {
            return _live.GetValueOrDefault((chatId, messageId))?.Message;
        }
    }

    private void Keep(SentMessage sent, string keyboard)
    {
        lock (_liveGate)
        {
            _live[(sent.ChatId, sent.MessageId)] = new LiveMessage(sent, keyboard);
        }
    }

    /// <summary>Text messages only (photo: "there is no text"); 1-4096 characters after parsing, like a send.</summary>
    private Outcome EditMessageText(FakeRequest request)
    {
        if (ResolveChat(request, out var chat, out var chatId) is { } chatError)
        {
            return chatError;
        }

        // An edit longer than Telegram allows is refused by Telegram's servers, not by the Bot API, hence the other words
        // than sendMessage's "message is too long".
        var text = request.Field("text") ?? "";
        var parseMode = request.Field("parse_mode");
        if ((CheckText(text, parseMode, MaxTextLength, "MESSAGE_TOO_LONG") ?? CheckKeyboard(request)) is { } refused)
        {
            return refused;
        }

        var linkPreview = LinkPreviewDisabled(request);
        return Edit(
            request, chat, chatId,
            current => current.Text is null ? FakeReply.BadRequest("there is no text in the message to edit") : null,
            current => current with { Text = text, ParseMode = parseMode, LinkPreviewDisabled = linkPreview });
    }

    /// <summary>Photo messages only (text: "there is no caption"); no caption removes it; 0-1024 characters after parsing.</summary>
    private Outcome EditMessageCaption(FakeRequest request)
    {
        if (ResolveChat(request, out var chat, out var chatId) is { } chatError)
        {
            return chatError;
        }

        var caption = request.Field("caption");
        var parseMode = request.Field("parse_mode");
        var captionError = caption is null
            ? null
            : CheckText(caption, parseMode, MaxCaptionLength, "MEDIA_CAPTION_TOO_LONG", allowEmpty: true);
        if ((captionError ?? CheckKeyboard(request)) is { } refused)
        {
            return refused;
        }

        return Edit(
            request, chat, chatId,
            current => current.Text is not null ? FakeReply.BadRequest("there is no caption in the message to edit") : null,
            current => current with { Caption = caption, ParseMode = parseMode });
    }

    /// <summary>
    /// A photo message gets a new photo (URL, file_id or upload) and the caption of the InputMediaPhoto, none when it has
    /// none; a text message can't ("there is no media"). The fake knows photos only.
    /// </summary>
    private Outcome EditMessageMedia(FakeRequest request)
    {
        if (ResolveChat(request, out var chat, out var chatId) is { } chatError)
        {
            return chatError;
        }

        if (!request.Body.TryGetProperty("media", out var media) || media.ValueKind != JsonValueKind.Object
            || StringField(media, "media") is not { Length: > 0 } photo)
        {
            return FakeReply.BadRequest("can't parse InputMedia: Media is not specified");
        }

        if (StringField(media, "type") is not "photo")
        {
            return FakeReply.BadRequest($"unsupported media type \"{StringField(media, "type")}\" in the fake");
        }

        var upload = photo.StartsWith("attach://", StringComparison.Ordinal) ? Uploaded(request, photo) : null;
        if (upload is not null && PhotoUploadError(upload) is { } uploadError)
        {
            return uploadError;
        }

        if (_unfetchablePhotos.TryGetValue(photo, out var photoError))
        {
            return new FakeReply.ApiError(400, photoError);
        }

        var caption = StringField(media, "caption");
        var parseMode = StringField(media, "parse_mode");
        var captionError = caption is null
            ? null
            : CheckText(caption, parseMode, MaxCaptionLength, "message caption is too long", allowEmpty: true);
        if ((captionError ?? CheckKeyboard(request)) is { } refused)
        {
            return refused;
        }

        return Edit(
            request, chat, chatId,
            current => current.Text is not null ? FakeReply.BadRequest("there is no media in the message to edit") : null,
            current => current with { Photo = upload is null ? photo : null, Upload = upload, Caption = caption, ParseMode = parseMode });
    }

    /// <summary>Replaces the keyboard only; an unchanged keyboard is "not modified", as Telegram says.</summary>
    private Outcome EditMessageReplyMarkup(FakeRequest request)
    {
        if (ResolveChat(request, out var chat, out var chatId) is { } chatError)
        {
            return chatError;
        }

        return CheckKeyboard(request) is { } keyboardError
            ? keyboardError
            : Edit(request, chat, chatId, _ => null, current => current);
    }

    /// <summary>
    /// Accepts an edit of a message the fake holds, or refuses it as Telegram would: unknown (or deleted) message, wrong
    /// kind of message, the same content and keyboard as now, or a flood limit passed (when <see cref="FakeFloodLimits.CountsEdits"/>).
    /// The new keyboard is the request's: an edit without reply_markup removes the keyboard, as with Telegram.
    /// </summary>
    private Outcome Edit(
        FakeRequest request, string chat, long chatId, Func<SentMessage, FakeReply.ApiError?> wrongKind, Func<SentMessage, SentMessage> change)
    {
        if (MessageId(request) is not { } messageId)
        {
            return FakeReply.BadRequest("message identifier is not specified");
        }

        var keyboard = Keyboard(request);
        var buttons = Buttons(request);
        lock (_liveGate)
        {
            if (!_live.TryGetValue((chatId, messageId), out var live))
            {
                return FakeReply.BadRequest("message to edit not found");
            }

            if (wrongKind(live.Message) is { } wrong)
            {
                return wrong;
            }

            var edited = change(live.Message) with { Buttons = buttons, EditedAt = request.ArrivedAt };
            if (keyboard == live.Keyboard && SameContent(live.Message, edited))
            {
                return FakeReply.BadRequest(NotModified);
            }

            if (FloodLimits.CountsEdits && Flood(request, chat, chatId) is { } tooMany)
            {
                return tooMany;
            }

            _live[(chatId, messageId)] = new LiveMessage(edited, keyboard);
            if (request.Method == "editmessagereplymarkup")
            {
                _keyboardEdits.Enqueue(new KeyboardEdit(chat, chatId, messageId, buttons));
            }
            else
            {
                _edits.Enqueue(new EditedMessage(
                    chat, chatId, messageId, request.Method, edited.Text, edited.Photo, edited.Caption, edited.ParseMode, buttons,
                    edited.LinkPreviewDisabled, request.ArrivedAt, edited.Upload));
            }

            return Outcome.Ok(Serialize(Shown(edited, ChatOf(chat, chatId))));
        }
    }

    /// <summary>
    /// Gone for good when accepted: a later edit or deletion is "not found". Refused from 48 hours after sending, in
    /// tdlib's words: "can't be deleted" in a supergroup or channel, "can't be deleted for everyone" in a private chat or
    /// basic group (where a bot may only delete for everyone). The can_delete_messages right lifts neither for a bot.
    /// </summary>
    private Outcome DeleteMessage(FakeRequest request)
    {
        if (ResolveChat(request, out var chat, out var chatId) is { } chatError)
        {
            return chatError;
        }

        if (MessageId(request) is not { } messageId)
        {
            return FakeReply.BadRequest("message identifier is not specified");
        }

        lock (_liveGate)
        {
            if (!_live.TryGetValue((chatId, messageId), out var live))
            {
                return FakeReply.BadRequest("message to delete not found");
            }

            if (request.ArrivedAt.ToUnixTimeSeconds() - live.Message.At.ToUnixTimeSeconds() >= DeleteWindowSeconds)
            {
                return FakeReply.BadRequest(chatId <= FirstChannelId ? "message can't be deleted" : "message can't be deleted for everyone");
            }

            if (FloodLimits.CountsDeletes && Flood(request, chat, chatId) is { } tooMany)
            {
                return tooMany;
            }

            _live.Remove((chatId, messageId));
            _deletions.Enqueue(new DeletedMessage(chat, chatId, messageId, request.ArrivedAt));
        }

        return Outcome.Ok(true);
    }

    private static int? MessageId(FakeRequest request) =>
        request.Number("message_id") is { } id and > 0 and <= int.MaxValue ? (int)id : null;

    private static string? StringField(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// Telegram compares what a reader would see: the rendered text and formatting (so "&lt;b&gt;" and "&lt;strong&gt;" are
    /// the same) and the photo (the same URL or file_id is the same photo; an upload is always new). Whether a link preview
    /// is shown is not compared: a change of link_preview_options alone is "not modified" here, the strict guess.
    /// </summary>
    private static bool SameContent(SentMessage current, SentMessage edited) =>
        current.Photo == edited.Photo
        && ReferenceEquals(current.Upload, edited.Upload)
        && Rendered(current.Text ?? current.Caption ?? "", current.ParseMode) == Rendered(edited.Text ?? edited.Caption ?? "", edited.ParseMode);

    private static RenderedText? Rendered(string text, string? parseMode) =>
        string.Equals(parseMode, "html", StringComparison.OrdinalIgnoreCase) ? TelegramHtmlRules.Render(text) : RenderedText.Plain(text);

    /// <summary>The inline keyboard as Telegram compares it: rows of buttons, each button's fields in name order; "" for none.</summary>
    private static string Keyboard(FakeRequest request) =>
        request.Body.TryGetProperty("reply_markup", out var markup)
        && markup.ValueKind == JsonValueKind.Object
        && markup.TryGetProperty("inline_keyboard", out var rows)
            ? string.Join('\n', rows.EnumerateArray()
                .Select(row => string.Join('|', row.EnumerateArray()
                    .Select(button => string.Join(',', button.EnumerateObject()
                        .OrderBy(field => field.Name, StringComparer.Ordinal)
                        .Select(field => $"{field.Name}={field.Value.GetRawText()}")))))
                .Where(row => row.Length > 0))
            : "";

    /// <summary>The Message Telegram returns for an edited message: its first date and the edit's.</summary>
    private static Message Shown(SentMessage message, Chat chat) => message.Text is not null
        ? new Message
        {
            Id = message.MessageId, Date = message.At.UtcDateTime, EditDate = message.EditedAt?.UtcDateTime, Chat = chat, Text = message.Text,
        }
        : new Message
        {
            Id = message.MessageId, Date = message.At.UtcDateTime, EditDate = message.EditedAt?.UtcDateTime, Chat = chat,
            Photo = [new PhotoSize { FileId = $"photo-{message.MessageId}", FileUniqueId = $"u{message.MessageId}", Width = 800, Height = 450 }],
            Caption = message.Caption,
        };

    /// <summary>A message as it stands now, and its keyboard as <see cref="Keyboard"/> compares it.</summary>
    private sealed record LiveMessage(SentMessage Message, string Keyboard);
}
