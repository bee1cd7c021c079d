using Atlas.Bot.Commands;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

/// <summary>
/// What a forum's messages tell the bot of its topics (their names, a reopening), and /channels showing the configured
/// entries with those names. Telegram has no method that names a topic: the bot knows what it has seen.
/// </summary>
public sealed class ForumTopicUpdatesTests : IAsyncLifetime
{
    private const long Forum = -1001234567890;
    private const string ForumChat = "-1001234567890";
    private const long Member = 3002;

    /// <summary>The harness's feeds, the English one also posting to two topics of the forum.</summary>
    private static readonly FeedsOptions Feeds = new()
    {
        Feeds =
        [
            new FeedOptions { Id = "az", Url = "wordpress-az.xml", Language = "az", Channels = ["@atlas_az"] },
            new FeedOptions { Id = "en", Url = "wordpress-en.xml", Language = "en", Channels = ["@atlas_en", $"{ForumChat}/42", $"{ForumChat}/43"] },
            new FeedOptions { Id = "ru", Url = "wordpress-ru-windows-1251.xml", Language = "ru", Channels = ["-1001234", $"{ForumChat}/42"] },
        ],
    };

    private static int _messageId = 100;

    private CommandHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await CommandHarness.StartAsync(services => services.AddSingleton(Options.Create(Feeds)));

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task A_topic_is_named_when_created_renamed_when_edited_and_a_message_in_it_does_not_undo_the_rename()
    {
        await _bot.SendAsync(Service(42, message => message.ForumTopicCreated = new ForumTopicCreated { Name = "Energy", IconColor = 0x6FB9F0 }));
        Assert.Equal(["Energy"], await NamesAsync());

        await _bot.SendAsync(Service(42, message => message.ForumTopicEdited = new ForumTopicEdited { Name = "Energy & climate" }));
        // An edit of the icon alone names nothing; a message in the topic replies to its creation, under its first name.
        await _bot.SendAsync(Service(42, message => message.ForumTopicEdited = new ForumTopicEdited { IconCustomEmojiId = "5312536423851630001" }));
        await _bot.SendAsync(InTopic(42, "Energy", "hello"));

        Assert.Equal(["Energy & climate"], await NamesAsync());
        Assert.Empty(await _bot.RepliesAsync());
    }

    [Fact]
    public async Task A_message_in_a_topic_names_a_topic_created_before_the_bot_was_there()
    {
        await _bot.SendAsync(InTopic(43, "News", "hello"));

        var named = Assert.Single(await _bot.Store.ForumTopicNamesAsync(default));
        Assert.Equal(new ForumTopicName(Forum, "atlas_forum", 43, "News"), named);
    }

    [Fact]
    public async Task A_group_that_is_no_forum_names_no_topic()
    {
        await _bot.SendAsync(new Update
        {
            Message = new Message
            {
                Id = 5, Date = DateTime.UtcNow, Chat = Group(-1005550001), From = Person(Member), MessageThreadId = 5,
                ForumTopicCreated = new ForumTopicCreated { Name = "Not a forum", IconColor = 0x6FB9F0 },
            },
        });

        Assert.Empty(await _bot.Store.ForumTopicNamesAsync(default));
    }

    [Fact]
    public async Task A_command_sent_in_a_topic_is_answered_and_names_the_topic_too()
    {
        _bot.Telegram.SetChatMember(Forum, Member, ChatMemberStatus.Administrator);

        await _bot.SendAsync(InTopic(42, "Energy", "/subscribe", command: true));

        Assert.Equal(["Energy"], await NamesAsync());
        Assert.Equal(BotTexts.Get("en", TextNames.GroupSubscribed, "English"), (await _bot.LastReplyAsync()).Text);
    }

    [Fact]
    public async Task A_reopened_topic_gets_its_parked_posts_back_and_a_topic_still_closed_does_not()
    {
        await _bot.Store.RecordItemAsync(new ItemRecord("en", "a", "A", null, null, null, "en"), Post.Text("A"), [$"{ForumChat}/42", $"@atlas_forum/43"], DateTimeOffset.UtcNow, default);
        await _bot.Store.StopTopicAsync(ForumChat, 42, "Bad Request: TOPIC_CLOSED", DateTimeOffset.UtcNow, default);
        await _bot.Store.StopTopicAsync("@atlas_forum", 43, "Bad Request: TOPIC_CLOSED", DateTimeOffset.UtcNow, default);

        await _bot.SendAsync(Service(43, message => message.ForumTopicReopened = new ForumTopicReopened()));

        Assert.Equal(1, await _bot.Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE chat = '@atlas_forum' AND thread_id = 43 AND state = 'pending'"));
        Assert.Equal(1, await _bot.Database.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE chat = '{ForumChat}' AND thread_id = 42 AND state = 'parked'"));
        Assert.Equal([42], (await _bot.Store.StoppedTopicsAsync(default)).Select(stopped => stopped.ThreadId));
    }

    [Fact]
    public async Task Channels_shows_each_entry_once_with_its_feeds_a_topic_by_name_or_number_and_a_stopped_topic_with_the_reason()
    {
        await _bot.SendAsync(Service(42, message => message.ForumTopicCreated = new ForumTopicCreated { Name = "Energy <analyses>", IconColor = 0x6FB9F0 }));
        await _bot.Store.StopTopicAsync(ForumChat, 43, "Bad Request: message thread not found", DateTimeOffset.UtcNow, default);

        await _bot.SendAsync(Text(CommandHarness.Admin, "/channels"));

        var reply = (await _bot.LastReplyAsync()).Text;
        var named = BotTexts.Get("en", TextNames.ForumTopicNamed, "Energy &lt;analyses&gt;", 42);
        var numbered = BotTexts.Get("en", TextNames.ForumTopicNumbered, 43);
        Assert.Contains(BotTexts.Get("en", TextNames.ChannelEntryLine, "@atlas_en", "en"), reply, StringComparison.Ordinal);
        Assert.Contains(BotTexts.Get("en", TextNames.ForumTopicLine, ForumChat, named, "en, ru") + "\n", reply, StringComparison.Ordinal);
        Assert.Contains(BotTexts.Get("en", TextNames.ForumTopicLine, ForumChat, numbered, "en") + "\n", reply, StringComparison.Ordinal);
        Assert.Contains(BotTexts.Get("en", TextNames.ForumTopicStopped, ForumChat, numbered, "Bad Request: message thread not found"), reply, StringComparison.Ordinal);
        // The group once for its rights, whatever the number of its topics.
        Assert.Single(reply.Split('\n'), line => line == BotTexts.Get("en", TextNames.ChannelNoRight, ForumChat));
    }

    private async Task<List<string>> NamesAsync() => [.. (await _bot.Store.ForumTopicNamesAsync(default)).Select(named => named.Name)];

    private static Chat ForumGroup() => new() { Id = Forum, Type = ChatType.Supergroup, Title = "Atlas forum", Username = "atlas_forum", IsForum = true };

    /// <summary>A service message in topic <paramref name="thread"/> of the forum.</summary>
    private static Update Service(int thread, Action<Message> fill)
    {
        var message = new Message
        {
            Id = Interlocked.Increment(ref _messageId), Date = DateTime.UtcNow, Chat = ForumGroup(), From = Person(Member),
            MessageThreadId = thread, IsTopicMessage = true,
        };
        fill(message);
        return new Update { Message = message };
    }

    /// <summary>A member's message in a topic: Telegram makes it a reply to the topic's creation message, with the name it was created with.</summary>
    private static Update InTopic(int thread, string createdAs, string text, bool command = false)
    {
        var update = Service(thread, message =>
        {
            message.Text = text;
            message.ReplyToMessage = new Message
            {
                Id = thread, Date = DateTime.UtcNow, Chat = ForumGroup(), From = Person(Member), MessageThreadId = thread, IsTopicMessage = true,
                ForumTopicCreated = new ForumTopicCreated { Name = createdAs, IconColor = 0x6FB9F0 },
            };
            if (command)
            {
                message.Entities = [new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = text.Split(' ')[0].Length }];
            }
        });
        return update;
    }
}
