using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Tests.Telegram.Fake;

public sealed partial class FakeBotApi
{
    private const int MaxTextLength = 4096;
    private const int MaxCaptionLength = 1024;
    private const int MaxInlineButtons = 100;
    private const int MaxCallbackDataBytes = 64;

    /// <summary>What an inline button can do besides callback_data; a button needs one of them.</summary>
    private static readonly string[] ButtonActions =
    [
        "url", "login_url", "web_app", "switch_inline_query", "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
        "copy_text", "callback_game", "pay",
    ];
    private static readonly FakeReply.ApiError NotFound = new(404, "Not Found");

    private async Task<Outcome> DispatchAsync(FakeRequest request, CancellationToken cancellationToken) => request.Method switch
    {
        "getme" => Outcome.Ok(Serialize(Me())),
        "sendmessage" => SendMessage(request),
        "sendphoto" => SendPhoto(request),
        "getupdates" => await GetUpdatesAsync(request, cancellationToken),
        "setmycommands" => SetMyCommands(request),
        "getchat" => GetChat(request),
        "getchatmembercount" => GetChatMemberCount(request),
        "answercallbackquery" => AnswerCallbackQuery(request),
        "editmessagetext" => EditMessageText(request),
        "editmessagecaption" => EditMessageCaption(request),
        "editmessagemedia" => EditMessageMedia(request),
        "editmessagereplymarkup" => EditMessageReplyMarkup(request),
        "deletemessage" => DeleteMessage(request),
        "getchatmember" => GetChatMember(request),
        "deletewebhook" => SetWebhook(null, null),
        "setwebhook" => SetWebhook(request.Field("url"), request.Field("secret_token")),
        _ => NotFound,
    };

    private User Me() => new()
    {
        Id = long.Parse(Token.AsSpan(0, Token.IndexOf(':', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture),
        IsBot = true,
        FirstName = "Atlas Test Bot",
        Username = "atlas_test_bot",
    };

    private Outcome SendMessage(FakeRequest request)
    {
        if ((ResolveChat(request, out var chat, out var chatId) ?? CheckThread(request, chatId)) is { } chatError)
        {
            return chatError;
        }

        var text = request.Field("text") ?? "";
        var parseMode = request.Field("parse_mode");
        if ((CheckText(text, parseMode, MaxTextLength, "message is too long") ?? CheckKeyboard(request)) is { } refused)
        {
            return refused;
        }

        if (Flood(request, chat, chatId) is { } tooMany)
        {
            return tooMany;
        }

        var sent = Record(request, chat, chatId, text, parseMode, photo: null, caption: null, LinkPreviewDisabled(request));
        return Outcome.Ok(Serialize(new Message
        {
            Id = sent.MessageId, Date = sent.At.UtcDateTime, Chat = ChatOf(chat, chatId), Text = text,
            MessageThreadId = sent.MessageThreadId, IsTopicMessage = sent.MessageThreadId is not null,
        }));
    }

    private Outcome SendPhoto(FakeRequest request)
    {
        if ((ResolveChat(request, out var chat, out var chatId) ?? CheckThread(request, chatId)) is { } chatError)
        {
            return chatError;
        }

        var photo = request.Field("photo");
        var upload = Uploaded(request, photo);
        if (string.IsNullOrEmpty(photo) && upload is null)
        {
            return FakeReply.BadRequest("there is no photo in the request");
        }

        if (upload is not null && PhotoUploadError(upload) is { } uploadError)
        {
            return uploadError;
        }

        if (photo is not null && _unfetchablePhotos.TryGetValue(photo, out var photoError))
        {
            return new FakeReply.ApiError(400, photoError);
        }

        var caption = request.Field("caption");
        var parseMode = request.Field("parse_mode");
        if (caption is not null
            && CheckText(caption, parseMode, MaxCaptionLength, "message caption is too long", allowEmpty: true) is { } captionError)
        {
            return captionError;
        }

        if (CheckKeyboard(request) is { } keyboardError)
        {
            return keyboardError;
        }

        if (Flood(request, chat, chatId) is { } tooMany)
        {
            return tooMany;
        }

        var sent = Record(request, chat, chatId, text: null, parseMode, upload is null ? photo : null, caption, linkPreviewDisabled: null, upload);
        var size = new PhotoSize { FileId = $"photo-{sent.MessageId}", FileUniqueId = $"u{sent.MessageId}", Width = 800, Height = 450 };
        return Outcome.Ok(Serialize(new Message
        {
            Id = sent.MessageId, Date = sent.At.UtcDateTime, Chat = ChatOf(chat, chatId), Photo = [size], Caption = caption,
            MessageThreadId = sent.MessageThreadId, IsTopicMessage = sent.MessageThreadId is not null,
        }));
    }

    /// <summary>The file of an uploaded photo: a "photo" part, or the part an "attach://name" value names.</summary>
    private static FakeUpload? Uploaded(FakeRequest request, string? photo) =>
        photo is not null && photo.StartsWith("attach://", StringComparison.Ordinal)
            ? request.Uploads.GetValueOrDefault(photo["attach://".Length..])
            : request.Uploads.GetValueOrDefault("photo");

    /// <summary>Telegram accepts photos up to 10 MB that it can decode; the fake knows PNG and JPEG by their signatures.</summary>
    private static FakeReply.ApiError? PhotoUploadError(FakeUpload upload)
    {
        ReadOnlySpan<byte> png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        ReadOnlySpan<byte> jpeg = [0xFF, 0xD8, 0xFF];
        if (upload.Bytes.Length > 10 * 1024 * 1024)
        {
            return new FakeReply.ApiError(413, "Request Entity Too Large");
        }

        return upload.Bytes.AsSpan().StartsWith(png) || upload.Bytes.AsSpan().StartsWith(jpeg)
            ? null
            : FakeReply.BadRequest("IMAGE_PROCESS_FAILED");
    }

    private Outcome GetChat(FakeRequest request)
    {
        if (ResolveChat(request, out var chat, out var chatId) is { } chatError)
        {
            return chatError;
        }

        var basic = ChatOf(chat, chatId);
        return Outcome.Ok(Serialize(new ChatFullInfo
        {
            Id = chatId, Type = basic.Type, Title = basic.Title, Username = basic.Username, FirstName = basic.FirstName, IsForum = basic.IsForum,
            AccentColorId = 0, MaxReactionCount = 11,
        }));
    }

    private Outcome GetChatMemberCount(FakeRequest request) =>
        ResolveChat(request, out var chat, out _) is { } chatError
            ? chatError
            : Outcome.Ok(_memberCounts.TryGetValue(chat, out var count) ? count : 1);

    private Outcome AnswerCallbackQuery(FakeRequest request)
    {
        // A query is answered once: Telegram refuses a second answer as it refuses an unknown id.
        if (request.Field("callback_query_id") is not { Length: > 0 } id || !_answeredQueries.TryAdd(id, true))
        {
            return FakeReply.BadRequest("query is too old and response timeout expired or query ID is invalid");
        }

        _callbackAnswers.Enqueue(new CallbackAnswer(id, request.Field("text")));
        return Outcome.Ok(true);
    }

    private Outcome SetMyCommands(FakeRequest request)
    {
        if (!request.Body.TryGetProperty("commands", out var commands) || commands.ValueKind != JsonValueKind.Array)
        {
            return FakeReply.BadRequest("parameter \"commands\" is required");
        }

        foreach (var command in commands.EnumerateArray())
        {
            var name = command.GetProperty("command").GetString() ?? "";
            var description = command.GetProperty("description").GetString() ?? "";
            if (name.Length is 0 or > 32 || !name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_'))
            {
                return FakeReply.BadRequest("BOT_COMMAND_INVALID");
            }

            if (description.Length is 0 or > 256)
            {
                return FakeReply.BadRequest("BOT_COMMAND_DESCRIPTION_INVALID");
            }
        }

        // A menu for one chat is kept apart ("chat:42"), so it does not hide the default menu of its language.
        var scope = request.Body.TryGetProperty("scope", out var scoped) && scoped.TryGetProperty("chat_id", out var scopeChat)
            ? $"chat:{scopeChat.GetRawText().Trim('"')}" + (request.Field("language_code") is { } code ? $"/{code}" : "")
            : request.Field("language_code") ?? "";
        _commands[scope] = request.Body;
        return Outcome.Ok(true);
    }

    private Outcome SetWebhook(string? url, string? secretToken)
    {
        // setWebhook with an empty url removes the webhook, as deleteWebhook does.
        WebhookUrl = string.IsNullOrEmpty(url) ? null : url;
        WebhookSecret = secretToken;
        return Outcome.Ok(true);
    }

    /// <summary>Null when the chat accepts messages; otherwise Telegram's answer for it.</summary>
    private FakeReply.ApiError? ResolveChat(FakeRequest request, out string chat, out long chatId)
    {
        chat = request.Field("chat_id") ?? "";
        chatId = 0;
        if (chat.StartsWith('@'))
        {
            if (_unknownUsernames.ContainsKey(chat))
            {
                return FakeReply.BadRequest("chat not found");
            }

            chatId = _usernameIds.GetOrAdd(chat, static (_, count) => -1001000000000 - count, _usernameIds.Count);
        }
        else if (!long.TryParse(chat, System.Globalization.CultureInfo.InvariantCulture, out chatId) || chatId == 0)
        {
            return chat.Length == 0 ? FakeReply.BadRequest("chat_id is empty") : FakeReply.BadRequest("chat not found");
        }

        if (_blocked.TryGetValue(chat, out var reason) || _blocked.TryGetValue(Key(chatId), out reason))
        {
            return new FakeReply.ApiError(403, reason);
        }

        return _migrated.TryGetValue(chatId, out var newId)
            ? new FakeReply.ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", MigrateToChatId: newId)
            : null;
    }

    private static FakeReply.ApiError? CheckText(string text, string? parseMode, int maxLength, string tooLong, bool allowEmpty = false)
    {
        int length;
        if (string.Equals(parseMode, "html", StringComparison.OrdinalIgnoreCase))
        {
            var (ok, error, plainLength) = TelegramHtmlRules.Check(text);
            if (!ok)
            {
                return FakeReply.BadRequest($"can't parse entities: {error}");
            }

            length = plainLength;
        }
        else if (parseMode is null)
        {
            length = text.Trim().Length;
        }
        else
        {
            return FakeReply.BadRequest($"unsupported parse_mode \"{parseMode}\" in the fake");
        }

        return length switch
        {
            0 when !allowEmpty => FakeReply.BadRequest("message text is empty"),
            _ when length > maxLength => FakeReply.BadRequest(tooLong),
            _ => null,
        };
    }

    /// <summary>
    /// Telegram's rules for an inline keyboard, with its own words (tdlib and the Bot API server): every button has text and
    /// an action, callback_data is 1-64 bytes of UTF-8 (empty counts as none), and a keyboard has at most 100 buttons.
    /// Telegram sets no limit on the length of a button's text (a long one is cut short on screen), so neither does the fake.
    /// </summary>
    private static FakeReply.ApiError? CheckKeyboard(FakeRequest request)
    {
        if (!request.Body.TryGetProperty("reply_markup", out var markup)
            || markup.ValueKind != JsonValueKind.Object
            || !markup.TryGetProperty("inline_keyboard", out var rows))
        {
            return null;
        }

        var buttons = rows.EnumerateArray().SelectMany(row => row.EnumerateArray()).ToList();
        if (buttons.Count > MaxInlineButtons)
        {
            return FakeReply.BadRequest("reply markup is too long");
        }

        foreach (var button in buttons)
        {
            if (!button.TryGetProperty("text", out var text) || text.GetString() is not { Length: > 0 })
            {
                return FakeReply.BadRequest("inline keyboard button text must be non-empty");
            }

            var data = button.TryGetProperty("callback_data", out var callbackData) ? callbackData.GetString() : null;
            if (string.IsNullOrEmpty(data) && !ButtonActions.Any(action => button.TryGetProperty(action, out _)))
            {
                return FakeReply.BadRequest("can't parse InlineKeyboardButton: Text buttons are not allowed in the inline keyboard");
            }

            if (data is not null && Encoding.UTF8.GetByteCount(data) > MaxCallbackDataBytes)
            {
                return FakeReply.BadRequest("BUTTON_DATA_INVALID");
            }
        }

        return null;
    }

    private SentMessage Record(
        FakeRequest request, string chat, long chatId, string? text, string? parseMode, string? photo, string? caption, bool? linkPreviewDisabled,
        FakeUpload? upload = null)
    {
        var messageId = _lastMessageIds.AddOrUpdate(chatId, 1, static (_, last) => last + 1);
        var sent = new SentMessage(
            chat, chatId, messageId, text, parseMode, photo, caption, Buttons(request), linkPreviewDisabled, _time.GetUtcNow(), upload)
        {
            DisableNotification = request.Field("disable_notification") == "true",
            MessageThreadId = (int?)request.Number("message_thread_id"),
        };
        lock (_messages)
        {
            _messages.Add(sent);
            _messageArrived.SetResult();
            _messageArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Keep(sent, Keyboard(request));
        return sent;
    }

    /// <summary>link_preview_options.is_disabled; null when the client sent no options.</summary>
    private static bool? LinkPreviewDisabled(FakeRequest request) =>
        request.Body.TryGetProperty("link_preview_options", out var options) && options.TryGetProperty("is_disabled", out var disabled)
            ? disabled.GetBoolean()
            : null;

    private static List<SentButton> Buttons(FakeRequest request)
    {
        if (!request.Body.TryGetProperty("reply_markup", out var markup)
            || !markup.TryGetProperty("inline_keyboard", out var rows))
        {
            return [];
        }

        return [.. rows.EnumerateArray().SelectMany(row => row.EnumerateArray()).Select(button => new SentButton(
            button.GetProperty("text").GetString() ?? "",
            button.TryGetProperty("url", out var url) ? url.GetString() : null,
            button.TryGetProperty("callback_data", out var data) ? data.GetString() : null))];
    }

    private Chat ChatOf(string chat, long chatId) => ForumChat(chatId) ?? chatId switch
    {
        > 0 => new Chat { Id = chatId, Type = ChatType.Private, FirstName = "Test user" },
        _ when chat.StartsWith('@') => new Chat { Id = chatId, Type = ChatType.Channel, Title = chat[1..], Username = chat[1..] },
        <= -1000000000000 => new Chat { Id = chatId, Type = ChatType.Channel, Title = $"Channel {chatId}" },
        _ => new Chat { Id = chatId, Type = ChatType.Group, Title = $"Group {chatId}" },
    };

    private static JsonNode? Serialize<T>(T value) => JsonSerializer.SerializeToNode(value, JsonBotAPI.Options);

    /// <summary>Counts one message against the flood limits; a 429 (and a note of it) when it passes one.</summary>
    private FakeReply.ApiError? Flood(FakeRequest request, string chat, long chatId)
    {
        if (_flood.TryRecord(chatId, chatId > 0, request.ArrivedAt) is not { } retryAfter)
        {
            return null;
        }

        _floodRefusals.Enqueue(new FloodRefusal(chat, request.ArrivedAt, request.Method));
        return FakeReply.TooManyRequests(retryAfter);
    }
}
