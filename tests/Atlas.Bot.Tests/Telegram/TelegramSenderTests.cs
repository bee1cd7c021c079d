using Atlas.Bot.Posts;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;
using Xunit;

namespace Atlas.Bot.Tests.Telegram;

/// <summary>The sender against the fake Bot API through the real client.</summary>
public sealed class TelegramSenderTests : IAsyncLifetime
{
    private const string Channel = "@atlas_az";
    private const string Photo = "https://example.org/cover.jpg";

    private FakeBotApi _api = null!;
    private TelegramSender _sender = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeBotApi.StartAsync();
        _api.FloodLimits = FakeFloodLimits.None;
        _sender = new TelegramSender(_api.CreateClient(TimeSpan.FromSeconds(1)), NullLogger<TelegramSender>.Instance);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<SendResult> Send(OutgoingMessage message, string chat = Channel) =>
        _sender.SendAsync(chat, message, CancellationToken.None);

    [Fact]
    public async Task A_text_post_goes_out_as_HTML_with_its_button_and_no_preview()
    {
        var result = await Send(new OutgoingMessage(new Post("<b>Başlıq</b>", ButtonText: "Oxu", ButtonUrl: "https://example.org/a")));

        var sent = Assert.Single(_api.Messages);
        Assert.Equal(new SendResult.Sent(sent.MessageId), result);
        Assert.Equal(("<b>Başlıq</b>", "Html", true, (string?)null), (sent.Text, sent.ParseMode, sent.LinkPreviewDisabled, sent.Photo));
        Assert.Equal(new SentButton("Oxu", "https://example.org/a", null), Assert.Single(sent.Buttons));
    }

    [Fact]
    public async Task A_post_with_a_photo_goes_out_as_a_captioned_photo()
    {
        await Send(new OutgoingMessage(new Post("<i>full text</i>", PhotoUrl: Photo, CaptionHtml: "<i>caption</i>")));

        var sent = Assert.Single(_api.Messages);
        Assert.Equal((Photo, "<i>caption</i>", "Html"), (sent.Photo, sent.Caption, sent.ParseMode));
        Assert.Empty(sent.Buttons);
    }

    [Fact]
    public async Task A_silent_message_to_a_topic_carries_disable_notification_and_message_thread_id_as_text_and_as_photo()
    {
        _api.AddForum(-1001234567890);
        _api.AddForumTopic(-1001234567890, "Analyses", threadId: 42);
        await Send(new OutgoingMessage(Post.Text("<b>T</b>"), Silent: true, ThreadId: 42), chat: "-1001234567890");
        await Send(new OutgoingMessage(new Post("<i>full</i>", PhotoUrl: Photo, CaptionHtml: "<i>c</i>"), Silent: true, ThreadId: 42), chat: "-1001234567890");
        await Send(new OutgoingMessage(Post.Text("<b>loud</b>")));

        Assert.Equal(
            [(true, 42), (true, 42), (false, null)],
            _api.Messages.Select(sent => (sent.DisableNotification, sent.MessageThreadId)));
    }

    [Fact]
    public async Task A_post_in_plain_form_goes_as_its_words_without_markup_and_with_a_preview()
    {
        await Send(new OutgoingMessage(new Post("<b>a &lt; b</b>", PhotoUrl: Photo, CaptionHtml: "<b>a</b>"), PostForm.Plain), chat: "42");

        var sent = Assert.Single(_api.Messages);
        Assert.Equal(("42", "a < b", (string?)null, (string?)null), (sent.Chat, sent.Text, sent.ParseMode, sent.Photo));
        Assert.NotEqual(true, sent.LinkPreviewDisabled);
    }

    [Fact]
    public async Task A_post_whose_photo_failed_goes_as_its_html_text_with_the_articles_preview()
    {
        await Send(new OutgoingMessage(new Post("<b>Full</b> text", PhotoUrl: Photo, CaptionHtml: "<b>Caption</b>"), PostForm.TextWithPreview));

        var sent = Assert.Single(_api.Messages);
        Assert.Equal(("<b>Full</b> text", "Html", (string?)null), (sent.Text, sent.ParseMode, sent.Photo));
        Assert.NotEqual(true, sent.LinkPreviewDisabled);
    }

    [Theory]
    [InlineData("same photo", "editmessagecaption")]
    [InlineData("another photo", "editmessagemedia")]
    [InlineData("no photo any more", "editmessagecaption")]
    public async Task A_photo_post_is_corrected_by_caption_or_by_media_and_keeps_a_picture(string correction, string method)
    {
        var sent = Assert.IsType<SendResult.Sent>(await Send(new OutgoingMessage(new Post("<b>T</b>", PhotoUrl: Photo, CaptionHtml: "<b>T</b>", ButtonText: "Read", ButtonUrl: "https://example.org/a"))));
        var corrected = correction switch
        {
            "same photo" => new Post("<b>T, revised</b>", PhotoUrl: Photo, CaptionHtml: "<b>T, revised</b>", ButtonText: "Read", ButtonUrl: "https://example.org/a"),
            "another photo" => new Post("<b>T</b>", PhotoUrl: "https://example.org/new.jpg", CaptionHtml: "<b>T</b>", ButtonText: "Read", ButtonUrl: "https://example.org/a"),
            _ => new Post("<b>T, no picture</b>", ButtonText: "Read", ButtonUrl: "https://example.org/a"),
        };

        var result = await _sender.EditAsync(Channel, sent.MessageId, Photo, new OutgoingMessage(corrected), CancellationToken.None);

        Assert.Equal(new SendResult.Sent(sent.MessageId), result);
        var edit = Assert.Single(_api.Edits);
        Assert.Equal(method, edit.Method);
        Assert.Equal(["Read"], edit.Buttons.Select(button => button.Text));
        Assert.NotNull(_api.CurrentMessage(edit.ChatId, edit.MessageId)?.Photo);
    }

    [Fact]
    public async Task A_text_post_that_gains_a_picture_has_its_words_corrected_and_stays_text()
    {
        var sent = Assert.IsType<SendResult.Sent>(await Send(new OutgoingMessage(Post.Text("<b>T</b>"))));

        var result = await _sender.EditAsync(Channel, sent.MessageId, null, new OutgoingMessage(new Post("<b>T, revised</b>", PhotoUrl: Photo, CaptionHtml: "<b>T, revised</b>")), CancellationToken.None);

        Assert.Equal(new SendResult.Sent(sent.MessageId), result);
        Assert.Equal(("editmessagetext", "<b>T, revised</b>"), (_api.Edits.Single().Method, _api.Edits.Single().Text));
    }

    [Fact]
    public async Task An_edit_Telegram_finds_already_made_is_done_and_one_of_a_deleted_message_is_gone()
    {
        var sent = Assert.IsType<SendResult.Sent>(await Send(new OutgoingMessage(Post.Text("<b>T</b>"))));

        Assert.Equal(new SendResult.Sent(sent.MessageId), await _sender.EditAsync(Channel, sent.MessageId, null, new OutgoingMessage(Post.Text("<b>T</b>")), CancellationToken.None));
        Assert.IsType<SendResult.MessageGone>(await _sender.EditAsync(Channel, sent.MessageId + 100, null, new OutgoingMessage(Post.Text("<b>U</b>")), CancellationToken.None));
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, null)]
    public async Task Paid_broadcasts_are_asked_for_only_when_allowed(bool allowed, string? sent)
    {
        await Send(new OutgoingMessage(Post.Text("<b>Hi</b>"), AllowPaidBroadcast: allowed));

        Assert.Equal(sent, _api.Requests.Single(r => r.Method == "sendmessage").Field("allow_paid_broadcast"));
    }

    [Fact]
    public async Task A_send_Telegram_leaves_unanswered_fails_after_the_send_timeout_and_can_be_retried()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var sender = new TelegramSender(_api.CreateClient(TimeSpan.FromMinutes(5)), NullLogger<TelegramSender>.Instance, time);
        _api.Fault = _ => new FakeReply.Delay(TimeSpan.FromMinutes(3));

        var sending = sender.SendAsync(Channel, new OutgoingMessage(Post.Text("<b>Hi</b>")), CancellationToken.None);
        // The deadline is set before the request goes out: once it has arrived, moving the clock cannot come too early.
        await Until.TrueAsync(() => _api.Requests.Any(request => request.Method == "sendmessage"), "the send to reach Telegram", TimeSpan.FromSeconds(30));
        time.Advance(TelegramSender.SendTimeout);

        Assert.IsType<SendResult.Failed>(await sending.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task SendTextAsync_replies_to_a_user()
    {
        var result = await _sender.SendTextAsync(42, "<b>Salam</b>", CancellationToken.None);

        Assert.IsType<SendResult.Sent>(result);
        Assert.Equal(42, Assert.Single(_api.Messages).ChatId);
    }

    [Fact]
    public async Task Every_Telegram_refusal_comes_back_as_a_value()
    {
        _api.BlockChat("42");
        _api.MakeChatUnknown("@gone");
        _api.MigrateChat(-555, -1000000000555);
        _api.MakePhotoUnfetchable(Photo, "Bad Request: failed to get HTTP URL content");

        Assert.Equal(new SendResult.Blocked("Forbidden: bot was blocked by the user"), await Send(new(Post.Text("hi")), "42"));
        Assert.Equal(new SendResult.Blocked("Bad Request: chat not found"), await Send(new(Post.Text("hi")), "@gone"));
        Assert.Equal(new SendResult.ChatMigrated(-1000000000555), await Send(new(Post.Text("hi")), "-555"));
        Assert.Equal(RejectKind.Photo, Assert.IsType<SendResult.Rejected>(await Send(new(new Post("c", PhotoUrl: Photo, CaptionHtml: "c")))).Kind);
        Assert.Equal(RejectKind.Formatting, Assert.IsType<SendResult.Rejected>(await Send(new(Post.Text("<p>x</p>")))).Kind);
        Assert.Equal(RejectKind.Formatting, Assert.IsType<SendResult.Rejected>(await Send(new(Post.Text(new string('x', 4097))))).Kind);
        Assert.Equal(RejectKind.Formatting, Assert.IsType<SendResult.Rejected>(await Send(new(new Post("x", PhotoUrl: "https://example.org/ok.jpg", CaptionHtml: new string('x', 1025))))).Kind);
        Assert.Empty(_api.Messages);
    }

    [Fact]
    public async Task A_429_comes_back_with_Telegrams_delay()
    {
        _api.Fault = _ => FakeReply.TooManyRequests(13);

        Assert.Equal(new SendResult.RetryAfter(TimeSpan.FromSeconds(13)), await Send(new(Post.Text("hi"))));
    }

    [Fact]
    public async Task The_fakes_own_flood_control_is_reported_as_retry_after()
    {
        _api.FloodLimits = FakeFloodLimits.Telegram;
        await Send(new(Post.Text("one")), "42");

        Assert.IsType<SendResult.RetryAfter>(await Send(new(Post.Text("two")), "42"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    public async Task A_server_error_is_a_failure(int status)
    {
        _api.Fault = _ => status == 500 ? FakeReply.InternalServerError() : new FakeReply.Raw(502, "<html>Bad Gateway</html>");

        Assert.IsType<SendResult.Failed>(await Send(new(Post.Text("hi"))));
    }

    [Fact]
    public async Task A_timeout_is_a_failure_not_a_cancellation()
    {
        _api.Fault = _ => new FakeReply.Delay(TimeSpan.FromSeconds(5));

        Assert.IsType<SendResult.Failed>(await Send(new(Post.Text("hi"))));
    }

    [Fact]
    public async Task An_unreachable_server_is_a_failure_without_the_token()
    {
        // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
        var unreachable = new TelegramBotClient(new TelegramBotClientOptions(_api.Token, "http://127.0.0.1:1") { RetryThreshold = 0 });
        var sender = new TelegramSender(unreachable, NullLogger<TelegramSender>.Instance);

        var result = Assert.IsType<SendResult.Failed>(await sender.SendAsync(Channel, new(Post.Text("hi")), CancellationToken.None));

        Assert.DoesNotContain(_api.Token, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_propagates()
    {
        _api.Fault = _ => new FakeReply.Delay(TimeSpan.FromSeconds(5));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _sender.SendAsync(Channel, new(Post.Text("hi")), cancellation.Token));
    }

    [Theory]
    [InlineData("atlas_az")]
    [InlineData("0")]
    [InlineData("")]
    public async Task A_malformed_chat_is_rejected_without_a_call(string chat)
    {
        Assert.Equal(RejectKind.Other, Assert.IsType<SendResult.Rejected>(await Send(new(Post.Text("hi")), chat)).Kind);
        Assert.Empty(_api.Requests);
    }

    [Theory]
    [InlineData("/relative.jpg")]
    [InlineData("ftp://example.org/p.jpg")]
    public async Task A_photo_URL_Telegram_cannot_fetch_is_rejected_without_a_call(string url)
    {
        Assert.Equal(RejectKind.Photo, Assert.IsType<SendResult.Rejected>(await Send(new(new Post("c", PhotoUrl: url, CaptionHtml: "c")))).Kind);
        Assert.Empty(_api.Requests);
    }
}
