using System.Globalization;
using Atlas.Bot.Commands;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using static Atlas.Bot.Tests.EndToEnd.WordPressFeed;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>
/// The whole host with channel entries that name topics of a forum supergroup ("-1001234567890/42"), and feeds whose
/// channel posts are silent. The strict fake Bot API knows the forum's topics: a deleted one answers "message thread
/// not found", as Telegram does, and its flood limits count the group whatever the topic.
/// </summary>
public abstract class ForumTopicTests(Provider provider) : HostTest(provider)
{
    private const long Forum = -1001234567890;
    private const long Admin = 1001;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string ForumChat = Forum.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_post_into_a_topic_carries_its_message_thread_id_and_its_correction_edits_that_same_message()
    {
        BotApi.AddForum(Forum);
        BotApi.AddForumTopic(Forum, "Analyses", threadId: 42);
        Feeds.Publish("/en.xml", Rss(new Article(1)));
        await using var bot = await StartBotAsync(Settings(backfill: 1, $"{ForumChat}/42"));

        var posted = Assert.Single(await BotApi.WaitForMessagesAsync(1, Patience));
        Assert.Equal((ForumChat, 42), (posted.Chat, posted.MessageThreadId));
        Assert.False(posted.DisableNotification);
        // Recorded as sent before the correction comes: a correction that finds its post still on the wire edits nothing.
        await Until.TrueAsync(async () => await CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'sent' AND thread_id = 42") == 1, "the post to be recorded", Patience);

        Feeds.Publish("/en.xml", Rss(new Article(1) { Retitled = "Analysis 1: revised" }));
        await Until.TrueAsync(() => BotApi.Edits.Count > 0, "the topic's message to be edited", Patience);

        var edit = Assert.Single(BotApi.Edits);
        Assert.Equal((posted.Chat, posted.MessageId), (edit.Chat, edit.MessageId));
        Assert.StartsWith("<b>Analysis 1: revised</b>", edit.Text, StringComparison.Ordinal);
        Assert.Single(BotApi.Messages);
    }

    [Fact]
    public async Task A_deleted_topic_stops_that_entry_with_one_alert_even_across_a_restart_while_another_topic_of_the_group_gets_every_post()
    {
        BotApi.AddForum(Forum);
        BotApi.AddForumTopic(Forum, "Analyses", threadId: 42);
        BotApi.AddForumTopic(Forum, "News", threadId: 43);
        BotApi.DeleteForumTopic(Forum, 42);
        Feeds.Publish("/en.xml", Rss(new Article(1), new Article(2)));
        var settings = Settings(backfill: 2, $"{ForumChat}/42", $"{ForumChat}/43");
        settings["Telegram:Admins:0"] = Admin.ToString(CultureInfo.InvariantCulture);

        await using (var bot = await StartBotAsync(settings))
        {
            await Until.TrueAsync(() => ArticlesIn(ForumChat, BotApi.Messages).Length == 2 && AlertsAbout42().Count == 1, "topic 43's posts and the alert", Patience);
            Feeds.Publish("/en.xml", Rss(new Article(1), new Article(2), new Article(3)));
            await Until.TrueAsync(() => ArticlesIn(ForumChat, BotApi.Messages).Length == 3, "topic 43's third post", Patience);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([1, 2, 3], ArticlesIn(ForumChat, BotApi.Messages));
        Assert.All(BotApi.Messages.Where(message => message.Chat == ForumChat), message => Assert.Equal(43, message.MessageThreadId));
        // One attempt found the topic gone; its later posts were held back without asking Telegram again.
        Assert.Equal(1, SendsInto(42));
        Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM deliveries WHERE thread_id = 42 AND state = 'parked'"));
        Assert.Contains("topic 42", Assert.Single(AlertsAbout42()).Text, StringComparison.Ordinal);

        // A restart gives the topic another chance (an admin may have pointed the entry elsewhere): it is still gone,
        // and the admins, told once, are not told again.
        await using (var bot = await StartBotAsync(settings))
        {
            await Until.TrueAsync(() => SendsInto(42) == 2, "the restarted bot's try", Patience);
            await Until.TrueAsync(async () => await CountAsync("SELECT COUNT(*) FROM deliveries WHERE thread_id = 42 AND state = 'parked'") == 3, "the topic's posts parked again", Patience);
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.Single(AlertsAbout42());
        Assert.Equal(2, SendsInto(42));
    }

    [Fact]
    public async Task A_silent_feeds_channel_post_carries_disable_notification_and_another_feeds_does_not()
    {
        Feeds.Publish("/en.xml", Rss(new Article(1)));
        Feeds.Publish("/ru.xml", Rss(new Article(2)));
        var settings = Settings(backfill: 1, "@atlas_en");
        settings["Feeds:0:Silent"] = "true";
        settings["Feeds:1:Id"] = "ru";
        settings["Feeds:1:Url"] = Feeds.Url("/ru.xml").ToString();
        settings["Feeds:1:Language"] = "ru";
        settings["Feeds:1:Schedule"] = EveryTwoSeconds;
        settings["Feeds:1:Backfill"] = "1";
        settings["Feeds:1:Channels:0"] = "@atlas_ru";

        await using var bot = await StartBotAsync(settings);
        var sent = await BotApi.WaitForMessagesAsync(2, Patience);

        Assert.True(sent.Single(message => message.Chat == "@atlas_en").DisableNotification);
        Assert.False(sent.Single(message => message.Chat == "@atlas_ru").DisableNotification);
    }

    [Fact]
    public async Task Channels_names_a_topic_by_the_name_learned_from_its_forum_topic_created_and_another_by_its_number()
    {
        BotApi.AddForum(Forum, title: "Atlas forum");
        BotApi.AddForumTopic(Forum, "News", threadId: 43);
        BotApi.EnqueueForumTopicCreated(Forum, 42, "Energy & climate", userId: 2002);
        Feeds.Publish("/en.xml", Rss(new Article(1)));
        var settings = Settings(backfill: 0, $"{ForumChat}/42", $"{ForumChat}/43");
        settings["Telegram:Admins:0"] = Admin.ToString(CultureInfo.InvariantCulture);
        await using var bot = await StartBotAsync(settings);

        BotApi.EnqueueMessage(Admin, "/channels");
        await Until.TrueAsync(() => BotApi.Messages.Any(message => message.Chat == "1001"), "the answer to /channels", Patience);

        var answer = BotApi.Messages.Single(message => message.Chat == "1001").Text;
        Assert.Contains(BotTexts.Get("en", TextNames.ForumTopicLine, ForumChat, BotTexts.Get("en", TextNames.ForumTopicNamed, "Energy &amp; climate", 42), "en"), answer, StringComparison.Ordinal);
        Assert.Contains(BotTexts.Get("en", TextNames.ForumTopicLine, ForumChat, BotTexts.Get("en", TextNames.ForumTopicNumbered, 43), "en"), answer, StringComparison.Ordinal);
    }

    private List<SentMessage> AlertsAbout42() =>
        [.. BotApi.Messages.Where(message => message.Chat == Admin.ToString(CultureInfo.InvariantCulture) && (message.Text ?? "").Contains("topic 42", StringComparison.Ordinal))];

    private int SendsInto(int thread) =>
        BotApi.Requests.Count(request => request.Method is "sendmessage" or "sendphoto" && request.Number("message_thread_id") == thread);
}

public sealed class ForumTopicTests_Sqlite() : ForumTopicTests(Provider.Sqlite);

public sealed class ForumTopicTests_Postgres() : ForumTopicTests(Provider.Postgres);
