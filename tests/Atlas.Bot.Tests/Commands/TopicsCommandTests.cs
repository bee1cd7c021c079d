using System.Text;
using Atlas.Bot.Commands;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram.Fake;
using Atlas.Bot.Tests.Telegram;
using Telegram.Bot.Types.Enums;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

public sealed class TopicsCommandTests : IAsyncLifetime
{
    private const long Person = 2101;
    private const long GroupId = -1005550101;
    private const long GroupAdmin = 3101;
    private const long Member = 3102;
    private CommandHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await CommandHarness.StartAsync();
        _bot.Telegram.SetChatMember(GroupId, GroupAdmin, ChatMemberStatus.Administrator);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Topics_offers_the_topics_of_the_subscribers_languages_most_frequent_first_with_everything_selected()
    {
        await ItemAsync("e1", "en", "Energy", "Diplomacy");
        await ItemAsync("e2", "en", "Energy", "Security");
        await ItemAsync("e3", "en", "Energy", "Diplomacy");
        await ItemAsync("a1", "az", "Enerji", "Tarix");
        await _bot.SendAsync(Text(Person, "/start", "en"));

        await _bot.SendAsync(Text(Person, "/topics", "en"));

        var reply = await _bot.LastReplyAsync();
        Assert.Equal(BotTexts.Get("en", TextNames.TopicsPrompt), reply.Text);
        Assert.Equal(
            [["Energy", "Diplomacy"], ["Security"], ["✅ All topics"]],
            reply.Keyboard!.Select(row => row.Select(button => button.Text)));
    }

    [Fact]
    public async Task A_press_toggles_a_topic_in_place_and_all_topics_clears_the_choice()
    {
        await ItemAsync("e1", "en", "Energy", "Diplomacy");
        await _bot.StartSendingAsync();
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(Person, "/topics", "en"));
        var keyboard = (await _bot.Telegram.WaitForMessagesAsync(2, TimeSpan.FromSeconds(30)))[1];

        await _bot.SendAsync(Callback(Person, keyboard.MessageId, DataOf(keyboard.Buttons, "Diplomacy")));
        Assert.Equal(["diplomacy"], await ChosenAsync(Person));
        var edit = Assert.Single(_bot.Telegram.KeyboardEdits);
        Assert.Equal(keyboard.MessageId, edit.MessageId);
        Assert.Equal(["✅ Diplomacy", "Energy", "All topics"], edit.Buttons.Select(b => b.Text));

        await _bot.SendAsync(Callback(Person, keyboard.MessageId, DataOf(edit.Buttons, "Energy")));
        Assert.Equal(["diplomacy", "energy"], await ChosenAsync(Person));

        await _bot.SendAsync(Callback(Person, keyboard.MessageId, DataOf(edit.Buttons, "All topics")));
        Assert.Empty(await ChosenAsync(Person));
        Assert.Equal(["Diplomacy", "Energy", "✅ All topics"], _bot.Telegram.KeyboardEdits.Last().Buttons.Select(b => b.Text));
        Assert.Equal(
            [BotTexts.Get("en", TextNames.TopicsSaved, 1), BotTexts.Get("en", TextNames.TopicsSaved, 2), BotTexts.Get("en", TextNames.TopicsEverything)],
            _bot.Telegram.CallbackAnswers.Select(answer => answer.Text));
    }

    [Fact]
    public async Task The_topic_chosen_with_a_button_decides_who_gets_the_next_analyses()
    {
        const long EveryTopic = 2102;
        await ItemAsync("e1", "en", "Energy", "Diplomacy");
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(EveryTopic, "/start", "en"));
        await _bot.SendAsync(Callback(Person, 1, $"top:+{TopicKeyboard.Tag("energy")}:0"));

        var outbox = _bot.Get<Outbox>();
        var now = DateTimeOffset.UtcNow;
        foreach (var (key, topic) in new[] { ("energy-1", "ENERGY"), ("security-1", "Security") })
        {
            var item = new ItemRecord("en", key, "Title " + key, "https://example.org/" + key, now, null, "en", Topics: ItemTopics.Of([topic], "en"));
            Assert.True(await outbox.QueuePostAsync(item, Post.Text("<b>" + key + "</b>"), [new ChannelEntry("@atlas_en")], silent: false, now, default));
        }

        Assert.Equal(["energy-1"], await PostsForAsync(Person));
        Assert.Equal(["energy-1", "security-1"], await PostsForAsync(EveryTopic));
        Assert.Equal(["energy-1", "security-1"], await PostsForAsync("@atlas_en"));

        // And so they arrive: through the dispatcher and the real client, at the strict fake Bot API.
        await _bot.StartSendingAsync();
        await Until.TrueAsync(() => Received(EveryTopic).Contains("security-1") && Received(Person).Contains("energy-1"), "the analyses to arrive", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("security-1", Received(Person));
    }

    private List<string> Received(long chat) =>
        [.. _bot.Telegram.Messages.Select(message => message.ChatId == chat ? message.Text : null)
            .OfType<string>()
            .Where(text => text.StartsWith("<b>", StringComparison.Ordinal))
            .Select(text => text[3..text.IndexOf('<', 3)])];

    [Fact]
    public async Task The_same_press_handled_twice_changes_nothing_twice()
    {
        await ItemAsync("e1", "en", "Energy", "Diplomacy");
        await _bot.SendAsync(Text(Person, "/start", "en"));
        var choose = Callback(Person, 1, $"top:+{TopicKeyboard.Tag("energy")}:0");
        var drop = Callback(Person, 1, $"top:-{TopicKeyboard.Tag("energy")}:0");

        await _bot.SendAsync(choose);
        await _bot.SendAsync(choose);
        Assert.Equal(["energy"], await ChosenAsync(Person));

        await _bot.SendAsync(drop);
        await _bot.SendAsync(drop);
        Assert.Empty(await ChosenAsync(Person));
    }

    [Fact]
    public async Task Five_hundred_topics_page_by_twenty_four_within_Telegrams_limits()
    {
        // Long, non-ASCII topics: what a button carries must not grow with them.
        var topics = Enumerable.Range(0, 500).Select(n => $"Энергетическая безопасность и региональная политика, рубрика {n:D3}").ToArray();
        await ItemAsync("e1", "en", topics);
        await _bot.StartSendingAsync();
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(Person, "/topics", "en"));
        var message = (await _bot.Telegram.WaitForMessagesAsync(2, TimeSpan.FromSeconds(30)))[1];

        var pages = new List<IReadOnlyList<SentButton>> { message.Buttons };
        for (var page = 1; page < 21; page++)
        {
            await _bot.SendAsync(Callback(Person, message.MessageId, DataOf(pages[^1], "▶")));
            pages.Add(_bot.Telegram.KeyboardEdits.Last().Buttons);
        }

        Assert.Equal(20, _bot.Telegram.KeyboardEdits.Count);
        Assert.All(pages, buttons =>
        {
            Assert.InRange(buttons.Count, 1, 100);
            Assert.All(buttons, button => Assert.InRange(Encoding.UTF8.GetByteCount(button.CallbackData!), 1, 64));
            Assert.True(buttons.Count(button => button.CallbackData!.StartsWith("top:+", StringComparison.Ordinal)) <= TopicKeyboard.PageSize);
        });
        Assert.Equal("21/21", pages[^1].Single(button => button.CallbackData == "top:x").Text);
        Assert.DoesNotContain(pages[^1], button => button.Text == "▶");
        Assert.Equal(500, pages.SelectMany(buttons => buttons).Where(button => button.CallbackData!.StartsWith("top:+", StringComparison.Ordinal)).Select(b => b.CallbackData![..13]).Distinct().Count());
        Assert.True(message.Text!.Length <= 4096);

        // A topic chosen on the last page stays there, selected.
        await _bot.SendAsync(Callback(Person, message.MessageId, pages[^1][0].CallbackData!));
        Assert.Single(await ChosenAsync(Person));
        Assert.StartsWith("✅ ", _bot.Telegram.KeyboardEdits.Last().Buttons[0].Text, StringComparison.Ordinal);
        Assert.Equal("21/21", _bot.Telegram.KeyboardEdits.Last().Buttons.Single(button => button.CallbackData == "top:x").Text);
    }

    [Fact]
    public async Task A_topic_respelled_in_the_feed_shows_its_newest_spelling()
    {
        await ItemAsync("e1", "en", "Energy policy");
        await ItemAsync("e2", "en", "Energy  Policy");
        await _bot.SendAsync(Text(Person, "/start", "en"));

        await _bot.SendAsync(Text(Person, "/topics", "en"));

        Assert.Equal("Energy Policy", (await _bot.LastReplyAsync()).Keyboard![0][0].Text);
    }

    [Fact]
    public async Task Without_a_subscription_topics_and_its_buttons_say_to_start_first()
    {
        await ItemAsync("e1", "en", "Energy");

        await _bot.SendAsync(Text(Person, "/topics", "en"));
        await _bot.SendAsync(Callback(Person, 1, $"top:+{TopicKeyboard.Tag("energy")}:0"));

        Assert.Equal(BotTexts.Get("en", TextNames.NotSubscribed), (await _bot.LastReplyAsync()).Text);
        Assert.Equal(BotTexts.Get("en", TextNames.NotSubscribed), Assert.Single(_bot.Telegram.CallbackAnswers).Text);
        Assert.Empty(await ChosenAsync(Person));
    }

    [Fact]
    public async Task Without_topics_in_the_last_ninety_days_a_subscriber_is_told_they_receive_everything()
    {
        await _bot.SendAsync(Text(Person, "/start", "en"));

        await _bot.SendAsync(Text(Person, "/topics", "en"));

        var reply = await _bot.LastReplyAsync();
        Assert.Equal((BotTexts.Get("en", TextNames.TopicsNone), null), (reply.Text, reply.Keyboard));
    }

    [Fact]
    public async Task In_a_group_an_admin_chooses_the_topics_and_a_member_cannot()
    {
        await ItemAsync("e1", "en", "Energy");
        var group = Group(GroupId);
        await _bot.SendAsync(Text(group, Person(GroupAdmin), "/subscribe"));

        await _bot.SendAsync(Text(group, Person(Member), "/topics"));
        Assert.Equal(BotTexts.Get("en", TextNames.GroupAdminsOnly), (await _bot.LastReplyAsync()).Text);
        await _bot.SendAsync(Text(group, Person(GroupAdmin), "/topics"));
        var press = (await _bot.LastReplyAsync()).Keyboard![0][0].CallbackData!;

        await _bot.SendAsync(Callback(Member, 7, press, group));
        Assert.Empty(await ChosenAsync(GroupId));
        await _bot.SendAsync(Callback(GroupAdmin, 7, press, group));

        Assert.Equal(["energy"], await ChosenAsync(GroupId));
        Assert.Equal(BotTexts.Get("en", TextNames.GroupAdminsOnly), _bot.Telegram.CallbackAnswers.First().Text);
    }

    [Fact]
    public async Task Subscribers_shows_how_many_chose_each_topic_and_how_many_receive_everything()
    {
        await ItemAsync("e1", "en", "Energy & Gas", "Diplomacy");
        await _bot.Store.SubscribeAsync(4001, "private", null, "en", ["en"], DateTimeOffset.UtcNow, default);
        await _bot.Store.SubscribeAsync(4002, "private", null, "en", ["en"], DateTimeOffset.UtcNow, default);
        await _bot.Store.SubscribeAsync(4003, "private", null, "en", ["en"], DateTimeOffset.UtcNow, default);
        await _bot.Store.SetTopicAsync(4001, "energy & gas", true, default);
        await _bot.Store.SetTopicAsync(4002, "energy & gas", true, default);
        await _bot.Store.SetTopicAsync(4002, "diplomacy", true, default);

        await _bot.SendAsync(Text(CommandHarness.Admin, "/subscribers", "en"));

        var reply = (await _bot.LastReplyAsync()).Text;
        Assert.EndsWith(
            string.Join("\n",
                BotTexts.Get("en", TextNames.SubscribersTopicsHeader),
                BotTexts.Get("en", TextNames.SubscribersEverything, 1),
                BotTexts.Get("en", TextNames.SubscribersTopicLine, "Energy &amp; Gas", 2),
                BotTexts.Get("en", TextNames.SubscribersTopicLine, "Diplomacy", 1)),
            reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x", TopicAction.None, null, 0)]
    [InlineData("p3", TopicAction.Page, null, 3)]
    [InlineData("all:2", TopicAction.All, null, 2)]
    [InlineData("+abcdEF_-:12", TopicAction.Choose, "abcdEF_-", 12)]
    [InlineData("-abcdEF_-:0", TopicAction.Drop, "abcdEF_-", 0)]
    public void A_topics_button_says_what_it_sets(string data, TopicAction action, string? tag, int page) =>
        Assert.Equal(new TopicPress(action, tag, page), TopicKeyboard.Parse(data));

    [Theory]
    [InlineData("")]
    [InlineData("p")]
    [InlineData("p-1")]
    [InlineData("all:")]
    [InlineData("+short:0")]
    [InlineData("+abcdEF_-")]
    [InlineData("*abcdEF_-:0")]
    [InlineData("+abcdEF_-:99999999")]
    public void Anything_else_is_no_topics_button(string data) => Assert.Null(TopicKeyboard.Parse(data));

    /// <summary>Records an item of <paramref name="language"/> seen now, with its topics keyed as the feeds key them.</summary>
    private async Task ItemAsync(string key, string language, params string[] topics)
    {
        await _bot.Store.RecordSeenItemsAsync([new ItemRecord(language, key, "Title " + key, "https://example.org/" + key, null, null, language)], DateTimeOffset.UtcNow, default);
        await _bot.Database.AddTopicsAsync(key, [.. topics.Select(topic => (TopicKey.Of(topic, language)!, TopicKey.Shown(topic)!))]);
    }

    /// <summary>The keys of the analyses queued for <paramref name="chat"/>, in the order they were queued.</summary>
    private Task<List<string>> PostsForAsync(object chat) =>
        _bot.Database.ListAsync($"SELECT i.item_key FROM deliveries d JOIN items i ON i.seq = d.item_seq WHERE d.chat = '{chat}' ORDER BY d.id");

    private async Task<IReadOnlyList<string>> ChosenAsync(long chat) =>
        [.. (await _bot.Store.ChosenTopicsAsync(chat, default)).Select(topic => topic.Key)];

    private static string DataOf(IEnumerable<SentButton> buttons, string text) =>
        buttons.Single(button => button.Text == text).CallbackData!;
}
