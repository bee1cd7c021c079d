using System.Net;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;
using Xunit;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>The fake answers the real client the way Telegram would.</summary>
public sealed class FakeBotApiTests : IAsyncLifetime
{
    private FakeBotApi _api = null!;
    private TelegramBotClient _bot = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeBotApi.StartAsync();
        _bot = _api.CreateClient();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task GetMe_describes_the_bot()
    {
        var me = await _bot.GetMe();

        Assert.True(me.IsBot);
        Assert.Equal(123456789, me.Id);
        Assert.Equal("atlas_test_bot", me.Username);
    }

    [Fact]
    public async Task An_accepted_message_is_recorded_as_sent()
    {
        var markup = new InlineKeyboardMarkup(InlineKeyboardButton.WithUrl("Oxu", "https://example.org/a"));

        var message = await _bot.SendMessage("@atlas_az", "<b>Başlıq</b> &amp; mətn", ParseMode.Html,
            replyMarkup: markup, linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true });

        var sent = Assert.Single(_api.Messages);
        Assert.Equal(message.Id, sent.MessageId);
        Assert.Equal(ChatType.Channel, message.Chat.Type);
        Assert.Equal(("@atlas_az", "<b>Başlıq</b> &amp; mətn", "Html", true), (sent.Chat, sent.Text, sent.ParseMode, sent.LinkPreviewDisabled));
        Assert.Equal(new SentButton("Oxu", "https://example.org/a", null), Assert.Single(sent.Buttons));
    }

    [Fact]
    public async Task Message_ids_increase_per_chat()
    {
        _api.FloodLimits = FakeFloodLimits.None;

        var ids = new[]
        {
            (await _bot.SendMessage(-100111, "a")).Id, (await _bot.SendMessage(-100111, "b")).Id, (await _bot.SendMessage(-100222, "c")).Id,
        };

        Assert.Equal([1, 2, 1], ids);
    }

    [Fact]
    public async Task A_photo_with_a_caption_is_recorded()
    {
        var message = await _bot.SendPhoto(-100111, InputFile.FromUri("https://example.org/p.jpg"), "<i>caption</i>", ParseMode.Html);

        Assert.NotNull(message.Photo);
        var sent = Assert.Single(_api.Messages);
        Assert.Equal(("https://example.org/p.jpg", "<i>caption</i>", (string?)null), (sent.Photo, sent.Caption, sent.Text));
    }

    [Fact]
    public async Task An_uploaded_photo_arrives_as_multipart_and_its_bytes_and_name_are_recorded()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        using var stream = new MemoryStream(png);

        var message = await _bot.SendPhoto(42, InputFile.FromStream(stream, "chart.png"), "<b>Chart</b>", ParseMode.Html);

        Assert.NotNull(message.Photo);
        var sent = Assert.Single(_api.Messages);
        Assert.Equal(("chart.png", (string?)null, "<b>Chart</b>"), (sent.Upload?.FileName, sent.Photo, sent.Caption));
        Assert.Equal(png, sent.Upload?.Bytes);
    }

    [Fact]
    public async Task An_upload_keeps_Telegrams_caption_rules_and_must_be_an_image()
    {
        using var png = new MemoryStream([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        using var text = new MemoryStream("not an image"u8.ToArray());

        var caption = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.SendPhoto(42, InputFile.FromStream(png, "chart.png"), "<b>x", ParseMode.Html));
        var image = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendPhoto(42, InputFile.FromStream(text, "chart.png")));

        Assert.StartsWith("Bad Request: can't parse entities", caption.Message, StringComparison.Ordinal);
        Assert.Equal("Bad Request: IMAGE_PROCESS_FAILED", image.Message);
        Assert.Empty(_api.Messages);
    }

    [Theory]
    [InlineData("<p>x</p>", "Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 0")]
    [InlineData("<b>x", "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"")]
    [InlineData("", "Bad Request: message text is empty")]
    [InlineData("<b> </b>", "Bad Request: message text is empty")]
    public async Task Bad_HTML_or_empty_text_is_a_400(string html, string description)
    {
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(1, html, ParseMode.Html));

        Assert.Equal((400, description), (error.ErrorCode, error.Message));
        Assert.Empty(_api.Messages);
    }

    [Fact]
    public async Task A_link_without_a_usable_URL_is_a_400()
    {
        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.SendMessage(-100111, "<b>Title</b> <a href=\"/en/analysis/1\">Read</a>", ParseMode.Html));

        Assert.Equal(
            (400, "Bad Request: can't parse entities: Tag \"a\" at byte offset 13 links to '/en/analysis/1', which is not an absolute http(s), tg or mailto URL (Telegram would drop the link)"),
            (error.ErrorCode, error.Message));
        Assert.Empty(_api.Messages);
    }

    // Cyrillic letters are two bytes of UTF-8 each: 32 of them are Telegram's 64 bytes.
    [Theory]
    [InlineData("Oxu", "lang:+az", null)]
    [InlineData("Oxu", "яяяяяяяяяяяяяяяяяяяяяяяяяяяяяяяя", null)]
    [InlineData("Oxu", "яяяяяяяяяяяяяяяяяяяяяяяяяяяяяяяяя", "Bad Request: BUTTON_DATA_INVALID")]
    [InlineData("Oxu", "", "Bad Request: can't parse InlineKeyboardButton: Text buttons are not allowed in the inline keyboard")]
    [InlineData("", "lang:+az", "Bad Request: inline keyboard button text must be non-empty")]
    public async Task An_inline_button_needs_text_and_1_to_64_bytes_of_callback_data(string text, string data, string? refusal)
    {
        var keyboard = new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData(text, data));

        var send = await Record.ExceptionAsync(() => _bot.SendMessage(42, "Choose", replyMarkup: keyboard));
        var photo = await Record.ExceptionAsync(() => _bot.SendPhoto(-100111, InputFile.FromUri("https://example.org/p.jpg"), replyMarkup: keyboard));

        Assert.Equal(refusal, (send as ApiRequestException)?.Message);
        Assert.Equal(refusal, (photo as ApiRequestException)?.Message);
        Assert.Equal(refusal is null ? 2 : 0, _api.Messages.Count);
    }

    [Fact]
    public async Task An_edit_keeps_the_same_keyboard_rules()
    {
        var message = await _bot.SendMessage(42, "Choose", replyMarkup: new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("a", "a")));
        var tooLong = new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("b", new string('b', 65)));

        var edit = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageReplyMarkup(42, message.Id, tooLong));
        var editText = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageText(42, message.Id, "Chosen", replyMarkup: tooLong));

        Assert.Equal(("Bad Request: BUTTON_DATA_INVALID", "Bad Request: BUTTON_DATA_INVALID"), (edit.Message, editText.Message));
        Assert.Empty(_api.KeyboardEdits);
        Assert.Empty(_api.Edits);
    }

    [Fact]
    public async Task An_inline_keyboard_holds_at_most_100_buttons()
    {
        static InlineKeyboardMarkup Keyboard(int buttons) =>
            new(Enumerable.Range(0, buttons).Chunk(8).Select(row => row.Select(i => InlineKeyboardButton.WithCallbackData($"{i}", $"n:{i}"))));

        await _bot.SendMessage(-100111, "100", replyMarkup: Keyboard(100));
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(-100222, "101", replyMarkup: Keyboard(101)));

        Assert.Equal("Bad Request: reply markup is too long", error.Message);
        Assert.Equal(100, Assert.Single(_api.Messages).Buttons.Count);
    }

    [Fact]
    public async Task Length_is_counted_after_parsing_in_UTF16_units()
    {
        var fits = new string('ə', 4096);
        await _bot.SendMessage(-100111, $"<b>{fits}</b>", ParseMode.Html);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(-100222, fits + "&amp;", ParseMode.Html));
        Assert.Equal("Bad Request: message is too long", error.Message);
        var caption = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.SendPhoto(-100222, InputFile.FromUri("https://example.org/p.jpg"), new string('x', 1025)));
        Assert.Equal("Bad Request: message caption is too long", caption.Message);
    }

    [Fact]
    public async Task A_blocked_chat_is_a_403()
    {
        _api.BlockChat("42");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(42, "hi"));

        Assert.Equal((403, "Forbidden: bot was blocked by the user"), (error.ErrorCode, error.Message));
    }

    [Fact]
    public async Task An_unknown_username_is_chat_not_found()
    {
        _api.MakeChatUnknown("@nobody");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage("@nobody", "hi"));

        Assert.Equal((400, "Bad Request: chat not found"), (error.ErrorCode, error.Message));
    }

    [Fact]
    public async Task A_migrated_group_names_its_supergroup()
    {
        _api.MigrateChat(-555, -1000000000555);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(-555, "hi"));

        Assert.Equal(400, error.ErrorCode);
        Assert.Equal(-1000000000555, error.Parameters?.MigrateToChatId);
    }

    [Fact]
    public async Task An_unfetchable_photo_is_a_400()
    {
        _api.MakePhotoUnfetchable("https://example.org/gone.jpg");

        var error = await Assert.ThrowsAsync<ApiRequestException>(
            () => _bot.SendPhoto(-100111, InputFile.FromUri("https://example.org/gone.jpg"), "c"));

        Assert.Equal("Bad Request: wrong file identifier/HTTP URL specified", error.Message);
    }

    [Fact]
    public async Task A_second_message_into_a_private_chat_within_a_second_is_a_429()
    {
        await _bot.SendMessage(42, "one");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(42, "two"));

        Assert.Equal((429, "Too Many Requests: retry after 1", 1), (error.ErrorCode, error.Message, error.Parameters?.RetryAfter));
        await _bot.SendMessage(43, "another chat is fine");
        Assert.Equal(["42"], _api.FloodRefusals.Select(refusal => refusal.Chat));
    }

    [Fact]
    public async Task The_21st_message_into_a_channel_within_a_minute_is_a_429()
    {
        _api.FloodLimits = FakeFloodLimits.Telegram with { GlobalPerSecond = 1000 };
        for (var i = 0; i < 20; i++)
        {
            await _bot.SendMessage("@atlas_en", $"post {i}");
        }

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage("@atlas_en", "post 21"));

        Assert.Equal(429, error.ErrorCode);
        Assert.InRange(error.Parameters?.RetryAfter ?? 0, 55, 60);
    }

    [Fact]
    public async Task The_fault_hook_answers_instead_of_the_fake()
    {
        _api.Fault = request => request.Sequence % 2 == 0 ? FakeReply.InternalServerError() : null;

        await _bot.SendMessage(-100111, "first");
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(-100111, "second"));

        Assert.Equal(500, error.ErrorCode);
    }

    [Fact]
    public async Task A_raw_502_page_reaches_the_client_as_a_request_exception()
    {
        _api.Fault = _ => new FakeReply.Raw(502, "<html>Bad Gateway</html>");

        var error = await Assert.ThrowsAnyAsync<RequestException>(() => _bot.GetMe());

        Assert.IsNotType<ApiRequestException>(error);
    }

    [Fact]
    public async Task A_wrong_token_is_a_401_and_an_unknown_method_a_404()
    {
        var wrong = new TelegramBotClient(new TelegramBotClientOptions("1:wrong", _api.BaseUrl) { RetryThreshold = 0 });
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => wrong.GetMe());
        Assert.Equal((401, "Unauthorized"), (error.ErrorCode, error.Message));

        using var http = new HttpClient();
        var response = await http.PostAsync(new Uri($"{_api.BaseUrl}/bot{_api.Token}/sendDice"), null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetUpdates_returns_queued_updates_and_forgets_confirmed_ones()
    {
        var first = _api.EnqueueMessage(42, "/start");
        _api.EnqueueCallbackQuery(42, 7, "lang:az");

        var updates = await _bot.GetUpdates();
        Assert.Equal(2, updates.Length);
        Assert.Equal(("/start", MessageEntityType.BotCommand), (updates[0].Message?.Text, updates[0].Message?.Entities?[0].Type));
        Assert.Equal("lang:az", updates[1].CallbackQuery?.Data);

        var rest = await _bot.GetUpdates(offset: first + 1);
        Assert.Equal(updates[1].Id, Assert.Single(rest).Id);
        Assert.Empty(await _bot.GetUpdates(offset: updates[1].Id + 1));
    }

    [Fact]
    public async Task A_getUpdates_overlapping_a_waiting_one_ends_the_earlier_with_409_as_two_bot_instances_would_see()
    {
        var earlier = _bot.GetUpdates(timeout: 30);
        await Until.TrueAsync(() => _api.Requests.Any(request => request.Method == "getupdates"), "the first long poll");

        Assert.Empty(await _bot.GetUpdates());
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => earlier);

        Assert.Equal((409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"), (error.ErrorCode, error.Message));
        Assert.Equal(1, _api.PollConflicts);
    }

    [Fact]
    public async Task GetUpdates_is_a_409_while_a_webhook_is_set()
    {
        _api.EnqueueMessage(42, "/start");
        await _bot.SetWebhook("https://bot.atlas.az/telegram");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.GetUpdates());

        Assert.Equal(
            (409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"),
            (error.ErrorCode, error.Message));
        await _bot.DeleteWebhook();
        Assert.Equal("/start", Assert.Single(await _bot.GetUpdates()).Message?.Text);
        await _bot.SetWebhook("https://bot.atlas.az/telegram");
        await _bot.SetWebhook("");
        Assert.Single(await _bot.GetUpdates());
    }

    [Fact]
    public async Task A_long_poll_ends_with_the_first_new_update_or_after_the_cap()
    {
        _api.LongPollCap = TimeSpan.FromMilliseconds(200);
        Assert.Empty(await _bot.GetUpdates(timeout: 30));

        _api.LongPollCap = TimeSpan.FromSeconds(20);
        var polling = _bot.GetUpdates(timeout: 30);
        _api.EnqueueMessage(42, "hello");

        Assert.Equal("hello", Assert.Single(await polling.WaitAsync(TimeSpan.FromSeconds(10))).Message?.Text);
    }

    [Fact]
    public async Task Chat_information_and_member_count_are_answered()
    {
        _api.SetMemberCount("@atlas_ru", 1234);

        var chat = await _bot.GetChat("@atlas_ru");
        var count = await _bot.GetChatMemberCount("@atlas_ru");

        Assert.Equal(("atlas_ru", ChatType.Channel, 1234), (chat.Username, chat.Type, count));
    }

    [Fact]
    public async Task Commands_callback_answers_edits_and_webhooks_are_recorded()
    {
        await _bot.SetMyCommands([new BotCommand("start", "Başla")], languageCode: "az");
        await _bot.AnswerCallbackQuery("cq-1", "OK");
        // A group, not a private chat: an edit counts like a message, and a private chat takes one a second.
        var message = await _bot.SendMessage(-100111, "old");
        await _bot.EditMessageText(-100111, message.Id, "<b>new</b>", ParseMode.Html);
        await _bot.SetWebhook("https://example.org/hook");
        Assert.Equal("https://example.org/hook", _api.WebhookUrl);
        await _bot.DeleteWebhook();

        Assert.True(_api.Commands.ContainsKey("az"));
        Assert.Equal(new CallbackAnswer("cq-1", "OK"), Assert.Single(_api.CallbackAnswers));
        var edit = Assert.Single(_api.Edits);
        Assert.Equal(("-100111", message.Id, "editmessagetext", "<b>new</b>", "Html"), (edit.Chat, edit.MessageId, edit.Method, edit.Text, edit.ParseMode));
        Assert.Null(_api.WebhookUrl);
    }

    [Fact]
    public async Task A_callback_query_is_answered_once_and_a_second_answer_is_refused_as_Telegram_does()
    {
        await _bot.AnswerCallbackQuery("cq-2", "first");

        var refused = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.AnswerCallbackQuery("cq-2", "again"));

        Assert.Equal(400, refused.ErrorCode);
        Assert.Contains("query ID is invalid", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new CallbackAnswer("cq-2", "first"), Assert.Single(_api.CallbackAnswers));
    }

    [Fact]
    public async Task An_invalid_command_is_rejected()
    {
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SetMyCommands([new BotCommand("Start!", "x")]));

        Assert.Equal("Bad Request: BOT_COMMAND_INVALID", error.Message);
    }

    [Fact]
    public async Task WaitForMessagesAsync_completes_when_enough_arrived_and_times_out_otherwise()
    {
        var waiting = _api.WaitForMessagesAsync(2, TimeSpan.FromSeconds(10));
        await _bot.SendMessage(-100111, "a");
        await _bot.SendMessage(-100222, "b");

        Assert.Equal(2, (await waiting).Count);
        await Assert.ThrowsAsync<TimeoutException>(() => _api.WaitForMessagesAsync(3, TimeSpan.FromMilliseconds(100)));
    }
}
