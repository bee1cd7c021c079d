using Atlas.Bot.Posts;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Xunit;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>The fake's forum supergroups answer the real client as Telegram does: per topic, and with the group's limits.</summary>
public sealed class FakeBotApiForumTests : IAsyncLifetime
{
    private const long Forum = -1001234567890;

    private FakeBotApi _api = null!;
    private TelegramBotClient _bot = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeBotApi.StartAsync();
        _bot = _api.CreateClient();
        _api.AddForum(Forum, username: "atlas_forum");
        _api.AddForumTopic(Forum, "Analyses", threadId: 42);
        _api.AddForumTopic(Forum, "News", threadId: 43);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_message_into_an_open_topic_is_accepted_and_carries_its_thread()
    {
        var message = await _bot.SendMessage(Forum, "post", messageThreadId: 42);
        var photo = await _bot.SendPhoto("@atlas_forum", InputFile.FromUri("https://example.org/p.jpg"), "caption", messageThreadId: 43);

        Assert.Equal((42, true, ChatType.Supergroup, true), (message.MessageThreadId, message.IsTopicMessage, message.Chat.Type, message.Chat.IsForum));
        Assert.Equal(43, photo.MessageThreadId);
        Assert.Equal([42, 43], _api.Messages.Select(sent => sent.MessageThreadId));
        // A topic is its creation message: later messages of the group come after it.
        Assert.True(message.Id > 43);
    }

    [Fact]
    public async Task A_message_without_a_thread_goes_to_the_forum_itself()
    {
        var message = await _bot.SendMessage(Forum, "general");

        Assert.Null(message.MessageThreadId);
        Assert.Null(Assert.Single(_api.Messages).MessageThreadId);
    }

    [Fact]
    public async Task A_closed_topic_refuses_with_TOPIC_CLOSED_until_it_is_reopened()
    {
        _api.CloseForumTopic(Forum, 42);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(Forum, "post", messageThreadId: 42));
        Assert.Equal((400, "Bad Request: TOPIC_CLOSED"), (error.ErrorCode, error.Message));
        await _bot.SendMessage(Forum, "the other topic", messageThreadId: 43);

        _api.ReopenForumTopic(Forum, 42);
        await _bot.SendMessage(Forum, "post", messageThreadId: 42);
        Assert.Equal([43, 42], _api.Messages.Select(sent => sent.MessageThreadId));
    }

    [Theory]
    [InlineData(Forum, 44)]
    [InlineData(Forum, 1)] // the General topic: reached without a thread id, not by its id
    [InlineData(-1009999999999, 42)]
    [InlineData(-100222, 42)]
    [InlineData(1234, 42)]
    public async Task A_topic_never_created_or_a_thread_of_a_chat_that_is_no_forum_is_not_found(long chat, int thread)
    {
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(chat, "post", messageThreadId: thread));

        Assert.Equal((400, "Bad Request: message thread not found"), (error.ErrorCode, error.Message));
        Assert.Empty(_api.Messages);
    }

    [Fact]
    public async Task A_deleted_topic_is_not_found_and_its_messages_are_gone_with_it()
    {
        var inDeleted = await _bot.SendMessage(Forum, "post", messageThreadId: 42);
        var inOther = await _bot.SendMessage(Forum, "post", messageThreadId: 43);

        _api.DeleteForumTopic(Forum, 42);

        var send = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage(Forum, "again", messageThreadId: 42));
        var edit = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.EditMessageText(Forum, inDeleted.Id, "edited"));
        Assert.Equal("Bad Request: message thread not found", send.Message);
        Assert.Equal("Bad Request: message to edit not found", edit.Message);
        await _bot.EditMessageText(Forum, inOther.Id, "edited");
    }

    [Fact]
    public async Task Topics_share_their_groups_20_messages_a_minute()
    {
        _api.FloodLimits = FakeFloodLimits.Telegram with { GlobalPerSecond = 1000 };
        for (var i = 0; i < 20; i++)
        {
            await _bot.SendMessage(Forum, $"post {i}", messageThreadId: i % 2 == 0 ? 42 : 43);
        }

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => _bot.SendMessage("@atlas_forum", "post 21", messageThreadId: 43));

        Assert.Equal(429, error.ErrorCode);
        Assert.Equal(["@atlas_forum"], _api.FloodRefusals.Select(refusal => refusal.Chat));
    }

    [Fact]
    public async Task The_sender_reads_a_gone_or_closed_topic_as_a_rejection_of_the_topic()
    {
        var sender = new TelegramSender(_bot, NullLogger<TelegramSender>.Instance);
        _api.CloseForumTopic(Forum, 42);
        _api.DeleteForumTopic(Forum, 43);

        var closed = await sender.SendAsync("-1001234567890", new OutgoingMessage(Post.Text("post"), ThreadId: 42), CancellationToken.None);
        var gone = await sender.SendAsync("@atlas_forum", new OutgoingMessage(Post.Text("post"), ThreadId: 43), CancellationToken.None);

        Assert.Equal(new SendResult.Rejected(RejectKind.Topic, "Bad Request: TOPIC_CLOSED"), closed);
        Assert.Equal(new SendResult.Rejected(RejectKind.Topic, "Bad Request: message thread not found"), gone);
    }

    [Fact]
    public async Task A_topic_created_in_the_group_reaches_the_bot_as_a_service_message_with_its_name()
    {
        _api.EnqueueForumTopicCreated(Forum, 77, "Energy", userId: 2002);

        var update = Assert.Single(await _bot.GetUpdates());

        Assert.Equal((77, "Energy", true), (update.Message!.MessageThreadId, update.Message.ForumTopicCreated!.Name, update.Message.Chat.IsForum));
        await _bot.SendMessage(Forum, "into the new topic", messageThreadId: 77);
    }
}
