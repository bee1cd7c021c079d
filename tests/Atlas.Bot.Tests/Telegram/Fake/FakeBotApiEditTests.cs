using Microsoft.Extensions.Time.Testing;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;
using Xunit;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>The fake edits and deletes what it accepted as strictly as Telegram does, answering the real client in Telegram's words.</summary>
public sealed class FakeBotApiEditTests : IAsyncLifetime
{
    private const long Channel = -1001000000111;
    private const string NotModified =
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly InputFile Photo = InputFile.FromUri("https://example.org/p.jpg");
    private static readonly InlineKeyboardMarkup Read = new(InlineKeyboardButton.WithUrl("Oxu", "https://atlas.az/a/1"));

    private readonly FakeTimeProvider _time = new(Start);
    private FakeBotApi _api = null!;
    private TelegramBotClient _bot = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeBotApi.StartAsync(_time);
        _bot = _api.CreateClient();

        // The clock stands still, so every call arrives at once; the flood tests below turn the limits back on.
        _api.FloodLimits = FakeFloodLimits.None;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task EditMessageText_replaces_the_text_and_returns_the_edited_message()
    {
        var sent = await _bot.SendMessage(Channel, "<b>Title</b> first", ParseMode.Html, replyMarkup: Read);
        _time.Advance(TimeSpan.FromMinutes(5));

        var edited = await _bot.EditMessageText(Channel, sent.Id, "<b>Title</b> corrected", ParseMode.Html, replyMarkup: Read,
            linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true });

        Assert.Equal((sent.Id, "<b>Title</b> corrected", Start.UtcDateTime, (DateTime?)Start.AddMinutes(5).UtcDateTime),
            (edited.Id, edited.Text, edited.Date, edited.EditDate));
        var edit = Assert.Single(_api.Edits);
        Assert.Equal((Channel, sent.Id, "editmessagetext", "<b>Title</b> corrected", "Html", true, Start.AddMinutes(5)),
            (edit.ChatId, edit.MessageId, edit.Method, edit.Text, edit.ParseMode, edit.LinkPreviewDisabled, edit.At));
        Assert.Equal("<b>Title</b> corrected", _api.CurrentMessage(Channel, sent.Id)?.Text);
        Assert.Equal("<b>Title</b> first", Assert.Single(_api.Messages).Text);
    }

    [Fact]
    public async Task EditMessageCaption_replaces_a_photos_caption_and_no_caption_removes_it()
    {
        var sent = await _bot.SendPhoto(Channel, Photo, "<i>first</i>", ParseMode.Html, replyMarkup: Read);

        var edited = await _bot.EditMessageCaption(Channel, sent.Id, "<i>corrected</i>", ParseMode.Html, replyMarkup: Read);
        await _bot.EditMessageCaption(Channel, sent.Id, null, replyMarkup: Read);

        Assert.Equal(("<i>corrected</i>", sent.Id), (edited.Caption, edited.Id));
        Assert.NotNull(edited.Photo);
        Assert.Equal(["<i>corrected</i>", null], _api.Edits.Select(edit => edit.Caption));
        var current = _api.CurrentMessage(Channel, sent.Id);
        Assert.Equal(("https://example.org/p.jpg", (string?)null), (current?.Photo, current?.Caption));
    }

    [Fact]
    public async Task EditMessageMedia_replaces_the_photo_and_takes_the_caption_of_the_new_media()
    {
        var sent = await _bot.SendPhoto(Channel, Photo, "old caption", replyMarkup: Read);

        var edited = await _bot.EditMessageMedia(Channel, sent.Id,
            new InputMediaPhoto(InputFile.FromUri("https://example.org/new.jpg")) { Caption = "<b>new</b> caption", ParseMode = ParseMode.Html },
            Read);

        Assert.Equal(("<b>new</b> caption", sent.Id), (edited.Caption, edited.Id));
        var edit = Assert.Single(_api.Edits);
        Assert.Equal(("editmessagemedia", "https://example.org/new.jpg", "<b>new</b> caption"), (edit.Method, edit.Photo, edit.Caption));
        Assert.Equal("https://example.org/new.jpg", _api.CurrentMessage(Channel, sent.Id)?.Photo);
    }

    [Fact]
    public async Task EditMessageMedia_takes_an_uploaded_photo_and_keeps_the_upload_rules()
    {
        var sent = await _bot.SendPhoto(42, Photo, "chart");
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7];
        using var image = new MemoryStream(png);
        using var notImage = new MemoryStream("text"u8.ToArray());

        await _bot.EditMessageMedia(42, sent.Id, new InputMediaPhoto(InputFile.FromStream(image, "chart.png")) { Caption = "chart" });
        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.EditMessageMedia(42, sent.Id, new InputMediaPhoto(InputFile.FromStream(notImage, "chart.png"))));

        var edit = Assert.Single(_api.Edits);
        Assert.Equal(("chart.png", (string?)null), (edit.Upload?.FileName, edit.Photo));
        Assert.Equal(png, edit.Upload?.Bytes);
        Assert.Equal("Bad Request: IMAGE_PROCESS_FAILED", error.Message);
    }

    [Fact]
    public async Task Each_edit_refuses_the_wrong_kind_of_message()
    {
        var text = await _bot.SendMessage(Channel, "text");
        var photo = await _bot.SendPhoto(Channel, Photo, "caption");

        var noText = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageText(Channel, photo.Id, "new"));
        var noCaption = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageCaption(Channel, text.Id, "new"));
        var noMedia = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.EditMessageMedia(Channel, text.Id, new InputMediaPhoto(InputFile.FromUri("https://example.org/new.jpg"))));

        Assert.Equal(
            [
                (400, "Bad Request: there is no text in the message to edit"),
                (400, "Bad Request: there is no caption in the message to edit"),
                (400, "Bad Request: there is no media in the message to edit"),
            ],
            new[] { noText, noCaption, noMedia }.Select(error => (error.ErrorCode, error.Message)));
        Assert.Empty(_api.Edits);
    }

    [Fact]
    public async Task A_message_the_fake_never_sent_is_not_found_by_any_edit_or_delete()
    {
        await _bot.SendMessage(Channel, "text");
        await _bot.SendMessage(-100222, "elsewhere");

        Exception?[] errors =
        [
            await Record.ExceptionAsync(() => _bot.EditMessageText(Channel, 2, "new")),
            await Record.ExceptionAsync(() => _bot.EditMessageCaption(Channel, 2, "new")),
            await Record.ExceptionAsync(() => _bot.EditMessageMedia(Channel, 2, new InputMediaPhoto(Photo))),
            await Record.ExceptionAsync(() => _bot.EditMessageReplyMarkup(Channel, 2, Read)),
            await Record.ExceptionAsync(() => _bot.DeleteMessage(Channel, 2)),
        ];

        Assert.Equal(
            [.. Enumerable.Repeat("Bad Request: message to edit not found", 4), "Bad Request: message to delete not found"],
            errors.Select(error => (error as ApiRequestException)?.Message));
    }

    // Telegram compares what a reader sees, not the markup that made it.
    [Theory]
    [InlineData("<b>Title</b> text", "<b>Title</b> text", false)]
    [InlineData("<b>Title</b> text", "<strong>Title</strong> text", false)]
    [InlineData("<b>Title</b> text", "  <b>Title</b> text\n", false)]
    [InlineData("<b>Ti</b><b>tle</b> text", "<b>Title</b> text", false)]
    [InlineData("A &amp; B", "A &#38; B", false)]
    [InlineData("<b>Title</b> text", "<i>Title</i> text", true)]
    [InlineData("<b>Title</b> text", "<b>Title</b> texts", true)]
    [InlineData("<a href=\"https://atlas.az/1\">Read</a>", "<a href=\"https://atlas.az/2\">Read</a>", true)]
    public async Task An_edit_to_the_same_rendered_text_and_keyboard_is_not_modified(string sent, string edit, bool modified)
    {
        var message = await _bot.SendMessage(Channel, sent, ParseMode.Html, replyMarkup: Read);

        var error = await Record.ExceptionAsync(() => _bot.EditMessageText(Channel, message.Id, edit, ParseMode.Html, replyMarkup: Read));

        Assert.Equal(modified ? null : NotModified, (error as ApiRequestException)?.Message);
        Assert.Equal(modified ? 1 : 0, _api.Edits.Count);
    }

    [Fact]
    public async Task A_different_keyboard_alone_is_an_edit_and_an_edit_without_one_removes_it()
    {
        var message = await _bot.SendMessage(Channel, "text", replyMarkup: Read);
        var twoRows = new InlineKeyboardMarkup(new[] { new[] { InlineKeyboardButton.WithUrl("Oxu", "https://atlas.az/a/1") }, [InlineKeyboardButton.WithCallbackData("Dil", "lang")] });
        var oneRow = new InlineKeyboardMarkup(new[] { new[] { InlineKeyboardButton.WithUrl("Oxu", "https://atlas.az/a/1"), InlineKeyboardButton.WithCallbackData("Dil", "lang") } });

        await _bot.EditMessageText(Channel, message.Id, "text", replyMarkup: twoRows);
        await _bot.EditMessageText(Channel, message.Id, "text", replyMarkup: oneRow);
        var same = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageText(Channel, message.Id, "text", replyMarkup: oneRow));
        await _bot.EditMessageText(Channel, message.Id, "text");
        var stillNone = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageReplyMarkup(Channel, message.Id));

        Assert.Equal([2, 2, 0], _api.Edits.Select(edit => edit.Buttons.Count));
        Assert.Equal((NotModified, NotModified), (same.Message, stillNone.Message));
        Assert.Empty(_api.CurrentMessage(Channel, message.Id)!.Buttons);
    }

    [Fact]
    public async Task Later_edits_compare_against_the_latest_content_whichever_method_made_it()
    {
        var photo = await _bot.SendPhoto(Channel, Photo, "one", replyMarkup: Read);

        await _bot.EditMessageCaption(Channel, photo.Id, "two", replyMarkup: Read);
        var sameCaption = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageCaption(Channel, photo.Id, "two", replyMarkup: Read));
        var sameMedia = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.EditMessageMedia(Channel, photo.Id, new InputMediaPhoto(Photo) { Caption = "two" }, Read));
        await _bot.EditMessageCaption(Channel, photo.Id, "one", replyMarkup: Read);
        await _bot.EditMessageReplyMarkup(Channel, photo.Id);
        var sameAgain = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageCaption(Channel, photo.Id, "one"));

        Assert.Equal([NotModified, NotModified, NotModified], new[] { sameCaption, sameMedia, sameAgain }.Select(error => error.Message));
        Assert.Equal(["two", "one"], _api.Edits.Select(edit => edit.Caption));
        Assert.Single(_api.KeyboardEdits);
    }

    [Fact]
    public async Task A_change_of_link_preview_alone_is_not_modified()
    {
        var message = await _bot.SendMessage(Channel, "https://atlas.az/a/1");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageText(Channel, message.Id, "https://atlas.az/a/1",
            linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true }));

        Assert.Equal(NotModified, error.Message);
    }

    [Fact]
    public async Task Edits_keep_the_HTML_and_length_rules_of_sends()
    {
        var text = await _bot.SendMessage(Channel, "text");
        var photo = await _bot.SendPhoto(Channel, Photo, "caption");
        var media = new InputMediaPhoto(InputFile.FromUri("https://example.org/new.jpg")) { Caption = new string('x', 1025) };

        Exception?[] errors =
        [
            await Record.ExceptionAsync(() => _bot.EditMessageText(Channel, text.Id, "<p>text</p>", ParseMode.Html)),
            await Record.ExceptionAsync(() => _bot.EditMessageText(Channel, text.Id, "  ")),
            await Record.ExceptionAsync(() => _bot.EditMessageText(Channel, text.Id, $"<b>{new string('ə', 4097)}</b>", ParseMode.Html)),
            await Record.ExceptionAsync(() => _bot.EditMessageCaption(Channel, photo.Id, "<b>x", ParseMode.Html)),
            await Record.ExceptionAsync(() => _bot.EditMessageCaption(Channel, photo.Id, new string('x', 1025))),
            await Record.ExceptionAsync(() => _bot.EditMessageMedia(Channel, photo.Id, media)),
        ];
        await _bot.EditMessageText(Channel, text.Id, $"<b>{new string('ə', 4096)}</b>", ParseMode.Html);
        await _bot.EditMessageCaption(Channel, photo.Id, new string('x', 1024));

        Assert.Equal(
            [
                "Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 0",
                "Bad Request: message text is empty",
                "Bad Request: MESSAGE_TOO_LONG",
                "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"",
                "Bad Request: MEDIA_CAPTION_TOO_LONG",
                "Bad Request: message caption is too long",
            ],
            errors.Select(error => (error as ApiRequestException)?.Message));
        Assert.Equal(2, _api.Edits.Count);
    }

    [Fact]
    public async Task A_deleted_message_is_gone_for_later_edits_and_deletes()
    {
        var message = await _bot.SendMessage(Channel, "post");

        await _bot.DeleteMessage(Channel, message.Id);
        var edit = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageText(Channel, message.Id, "corrected"));
        var again = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.DeleteMessage(Channel, message.Id));

        Assert.Equal(new DeletedMessage("-1001000000111", Channel, message.Id, Start), Assert.Single(_api.Deletions));
        Assert.Equal(("Bad Request: message to edit not found", "Bad Request: message to delete not found"), (edit.Message, again.Message));
        Assert.Null(_api.CurrentMessage(Channel, message.Id));
        Assert.Single(_api.Messages);
    }

    // tdlib's words: a supergroup or channel "can't be deleted"; a private chat or basic group "can't be deleted for everyone".
    [Theory]
    [InlineData(-1001000000111, "Bad Request: message can't be deleted")]
    [InlineData(42, "Bad Request: message can't be deleted for everyone")]
    [InlineData(-555, "Bad Request: message can't be deleted for everyone")]
    public async Task A_message_can_be_deleted_until_48_hours_after_it_was_sent(long chat, string refusal)
    {
        var young = await _bot.SendMessage(chat, "young");
        var old = await _bot.SendMessage(chat, "old");
        _time.Advance(TimeSpan.FromHours(48) - TimeSpan.FromSeconds(1));
        await _bot.DeleteMessage(chat, young.Id);

        _time.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.DeleteMessage(chat, old.Id));
        await _bot.EditMessageText(chat, old.Id, "a bot may edit its own message at any age");

        Assert.Equal((400, refusal), (error.ErrorCode, error.Message));
        Assert.Equal([young.Id], _api.Deletions.Select(deletion => deletion.MessageId));
        Assert.NotNull(_api.CurrentMessage(chat, old.Id));
    }

    [Fact]
    public async Task The_48_hours_are_counted_from_the_send_not_from_the_last_edit()
    {
        var message = await _bot.SendPhoto(Channel, Photo, "v1");
        _time.Advance(TimeSpan.FromHours(47));
        await _bot.EditMessageCaption(Channel, message.Id, "v2");

        _time.Advance(TimeSpan.FromHours(1));
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.DeleteMessage(Channel, message.Id));

        Assert.Equal("Bad Request: message can't be deleted", error.Message);
    }

    [Fact]
    public async Task An_edit_takes_a_place_in_the_chats_flood_window_like_a_message()
    {
        _api.FloodLimits = FakeFloodLimits.Telegram;
        var message = await _bot.SendMessage(42, "one");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageText(42, message.Id, "two"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await _bot.EditMessageText(42, message.Id, "two");
        var next = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(42, "three"));

        Assert.Equal((429, "Too Many Requests: retry after 1"), (error.ErrorCode, error.Message));
        Assert.Equal(429, next.ErrorCode);
        Assert.Equal(["editmessagetext", "sendmessage"], _api.FloodRefusals.Select(refusal => refusal.Method));
        Assert.Equal("two", _api.CurrentMessage(42, message.Id)?.Text);
    }

    [Fact]
    public async Task The_21st_message_or_edit_in_a_channel_within_a_minute_is_a_429_for_every_edit_method()
    {
        _api.FloodLimits = FakeFloodLimits.Telegram with { GlobalPerSecond = 1000 };
        var photo = await _bot.SendPhoto(Channel, Photo, "caption 0");
        for (var i = 1; i < 20; i++)
        {
            await _bot.EditMessageCaption(Channel, photo.Id, $"caption {i}");
        }

        Exception?[] errors =
        [
            await Record.ExceptionAsync(() => _bot.EditMessageCaption(Channel, photo.Id, "caption 20")),
            await Record.ExceptionAsync(() => _bot.EditMessageMedia(Channel, photo.Id, new InputMediaPhoto(InputFile.FromUri("https://example.org/new.jpg")))),
            await Record.ExceptionAsync(() => _bot.EditMessageReplyMarkup(Channel, photo.Id, Read)),
        ];

        Assert.All(errors, error => Assert.Equal(429, (error as ApiRequestException)?.ErrorCode));
        Assert.Equal(["editmessagecaption", "editmessagemedia", "editmessagereplymarkup"], _api.FloodRefusals.Select(refusal => refusal.Method));
        Assert.Equal("caption 19", _api.CurrentMessage(Channel, photo.Id)?.Caption);
    }

    [Fact]
    public async Task Deletes_take_no_place_in_the_flood_windows_unless_asked_and_edits_none_when_switched_off()
    {
        _api.FloodLimits = FakeFloodLimits.Telegram with { CountsEdits = false };
        var first = await _bot.SendMessage(42, "one");
        await _bot.EditMessageText(42, first.Id, "edited at once");
        await _bot.DeleteMessage(42, first.Id);

        _time.Advance(TimeSpan.FromSeconds(1));
        _api.FloodLimits = FakeFloodLimits.Telegram with { CountsDeletes = true };
        var second = await _bot.SendMessage(42, "two");
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.DeleteMessage(42, second.Id));

        Assert.Equal(429, error.ErrorCode);
        Assert.Equal("deletemessage", Assert.Single(_api.FloodRefusals).Method);
        Assert.NotNull(_api.CurrentMessage(42, second.Id));
    }

    [Fact]
    public async Task The_fault_hook_answers_edits_and_deletes_and_the_message_stays_as_it_was()
    {
        var message = await _bot.SendMessage(Channel, "post");
        _api.Fault = request => request.Method switch
        {
            "editmessagetext" => FakeReply.TooManyRequests(7),
            "deletemessage" => new FakeReply.ApiError(403, "Forbidden: bot is not a member of the channel chat"),
            _ => null,
        };

        var edit = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageText(Channel, message.Id, "corrected"));
        var delete = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.DeleteMessage(Channel, message.Id));

        Assert.Equal((429, 7), (edit.ErrorCode, edit.Parameters?.RetryAfter));
        Assert.Equal((403, "Forbidden: bot is not a member of the channel chat"), (delete.ErrorCode, delete.Message));
        Assert.Equal("post", _api.CurrentMessage(Channel, message.Id)?.Text);
        Assert.Empty(_api.Edits);
        Assert.Empty(_api.Deletions);
    }

    [Fact]
    public async Task A_blocked_or_migrated_chat_refuses_edits_and_deletes_as_it_refuses_sends()
    {
        var message = await _bot.SendMessage(42, "hi");
        _api.BlockChat("42");
        _api.MigrateChat(-555, -1000000000555);

        var edit = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageText(42, message.Id, "bye"));
        var delete = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.DeleteMessage(-555, 1));

        Assert.Equal((403, "Forbidden: bot was blocked by the user"), (edit.ErrorCode, edit.Message));
        Assert.Equal(-1000000000555, delete.Parameters?.MigrateToChatId);
    }
}
