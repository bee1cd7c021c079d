using Atlas.Bot.Commands;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Storage;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

public sealed class SubscriberCommandsTests : IAsyncLifetime
{
    private const long Person = 2001;
    private CommandHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await CommandHarness.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Start_subscribes_a_new_person_in_their_language_and_offers_every_feed_language()
    {
        await _bot.SendAsync(Text(Person, "/start", "az"));

        var subscriber = await _bot.Store.GetSubscriberAsync(Person, default);
        Assert.Equal(("az", true), (subscriber!.UiLanguage, subscriber.Active));
        Assert.Equal(["az"], subscriber.Languages);
        var reply = await _bot.LastReplyAsync();
        Assert.Equal(BotTexts.Get("az", TextNames.StartNew), reply.Text);
        var buttons = reply.Keyboard!.SelectMany(row => row).ToList();
        Assert.Equal(["✅ Azərbaycan dili", "İngilis dili", "Rus dili"], buttons.Select(button => button.Text));
        Assert.Equal(["lang:-az", "lang:+en", "lang:+ru"], buttons.Select(button => button.CallbackData));
    }

    [Theory]
    [InlineData("az", "az")]
    [InlineData("az-Latn-AZ", "az")]
    [InlineData("ru", "ru")]
    [InlineData("ru-RU", "ru")]
    [InlineData("en-GB", "en")]
    [InlineData("de", "en")]
    [InlineData("", "en")]
    public async Task Telegrams_language_code_maps_to_az_ru_or_else_English(string code, string expected)
    {
        await _bot.SendAsync(Text(Person, "/start", code));

        var subscriber = await _bot.Store.GetSubscriberAsync(Person, default);
        Assert.Equal(expected, subscriber!.UiLanguage);
        Assert.Equal([expected], subscriber.Languages);
    }

    [Fact]
    public void Without_a_feed_in_their_language_a_subscriber_gets_every_feed_language()
    {
        var languages = new FeedLanguages(Microsoft.Extensions.Options.Options.Create(new Atlas.Bot.Feeds.FeedsOptions
        {
            Feeds = [new() { Id = "a", Language = "az" }, new() { Id = "r", Language = "ru" }, new() { Id = "r2", Language = "ru" }],
        }));

        Assert.Equal(["az", "ru"], languages.DefaultFor("en"));
    }

    [Fact]
    public async Task Stop_keeps_the_subscriber_as_inactive_and_start_brings_them_back_with_their_languages()
    {
        await _bot.SendAsync(Text(Person, "/start", "ru"));
        await _bot.Store.SetLanguagesAsync(Person, ["ru", "en"], default);

        await _bot.SendAsync(Text(Person, "/stop", "ru"));
        Assert.Equal(BotTexts.Get("ru", TextNames.Stopped), (await _bot.LastReplyAsync()).Text);
        Assert.Equal((false, "stopped"), await ActiveAndReasonAsync());

        await _bot.SendAsync(Text(Person, "/start", "ru"));
        Assert.Equal(BotTexts.Get("ru", TextNames.StartReactivated), (await _bot.LastReplyAsync()).Text);
        var subscriber = await _bot.Store.GetSubscriberAsync(Person, default);
        Assert.True(subscriber!.Active);
        Assert.Equal(["ru", "en"], subscriber.Languages);
    }

    [Fact]
    public async Task Stop_from_someone_never_subscribed_says_so()
    {
        await _bot.SendAsync(Text(Person, "/stop"));

        Assert.Equal(BotTexts.Get("en", TextNames.NotSubscribed), (await _bot.LastReplyAsync()).Text);
    }

    [Fact]
    public async Task Blocking_the_bot_unsubscribes_at_once_and_drops_what_was_waiting_until_start_again()
    {
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.Store.RecordItemAsync(new ItemRecord("en", "k1", "Title", "https://example.org/1", null, null, "en"),
            Post.Text("text"), [], DateTimeOffset.UtcNow, default);

        await _bot.SendAsync(MyChatMember(Private(Person), new ChatMemberBanned { User = BotUser }));

        Assert.Equal((false, "blocked"), await ActiveAndReasonAsync());
        Assert.Equal(1, await _bot.Database.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE chat = '{Person}' AND state = 'dropped'"));

        await _bot.SendAsync(MyChatMember(Private(Person), new ChatMemberMember { User = BotUser }));
        Assert.Equal((false, "blocked"), await ActiveAndReasonAsync());

        await _bot.SendAsync(Text(Person, "/start", "en"));
        Assert.Equal((true, null), await ActiveAndReasonAsync());
    }

    [Fact]
    public async Task Language_buttons_switch_languages_on_and_off_but_never_leave_none()
    {
        await _bot.StartSendingAsync();
        await _bot.SendAsync(Text(Person, "/start", "en"));
        var greeting = (await _bot.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)))[0];
        Assert.Equal(["✅ English"], greeting.Buttons.Where(b => b.Text.StartsWith('✅')).Select(b => b.Text));

        await _bot.SendAsync(Callback(Person, greeting.MessageId, "lang:+ru"));
        Assert.Equal(["en", "ru"], (await _bot.Store.GetSubscriberAsync(Person, default))!.Languages);
        var edit = Assert.Single(_bot.Telegram.KeyboardEdits);
        Assert.Equal(["Azerbaijani", "✅ English", "✅ Russian"], edit.Buttons.Select(b => b.Text));

        await _bot.SendAsync(Callback(Person, greeting.MessageId, "lang:-en"));
        await _bot.SendAsync(Callback(Person, greeting.MessageId, "lang:-ru"));

        Assert.Equal(["ru"], (await _bot.Store.GetSubscriberAsync(Person, default))!.Languages);
        Assert.Equal(
            [BotTexts.Get("en", TextNames.LangSaved, "English, Russian"), BotTexts.Get("en", TextNames.LangSaved, "Russian"), BotTexts.Get("en", TextNames.LangAtLeastOne)],
            _bot.Telegram.CallbackAnswers.Select(answer => answer.Text));
    }

    [Fact]
    public async Task The_same_button_press_handled_twice_sets_the_same_languages()
    {
        await _bot.SendAsync(Text(Person, "/start", "en"));
        var press = Callback(Person, 1, "lang:+az");

        await _bot.SendAsync(press);
        await _bot.SendAsync(press);

        Assert.Equal(["az", "en"], (await _bot.Store.GetSubscriberAsync(Person, default))!.Languages);
    }

    [Fact]
    public async Task Lang_shows_the_current_choice()
    {
        await _bot.SendAsync(Text(Person, "/start", "ru"));

        await _bot.SendAsync(Text(Person, "/lang", "ru"));

        var reply = await _bot.LastReplyAsync();
        Assert.Equal(BotTexts.Get("ru", TextNames.LangPrompt), reply.Text);
        Assert.Contains("✅ Русский", reply.Keyboard!.SelectMany(row => row).Select(button => button.Text));
    }

    [Fact]
    public async Task Latest_lists_the_five_newest_analyses_of_the_subscribers_languages_as_one_message()
    {
        await _bot.SendAsync(Text(Person, "/start", "en"));
        var now = DateTimeOffset.UtcNow;
        await _bot.Store.RecordSeenItemsAsync(
        [
            .. Enumerable.Range(1, 7).Select(n => new ItemRecord("en", $"e{n}", $"English {n} & co", $"https://example.org/e{n}?a=1&b=2", now.AddHours(n), null, "en")),
            new ItemRecord("az", "a1", "Azərbaycan", "https://example.org/a1", now.AddDays(1), null, "az"),
        ], now, default);

        await _bot.SendAsync(Text(Person, "/latest"));

        var reply = (await _bot.LastReplyAsync()).Text;
        Assert.StartsWith(BotTexts.Get("en", TextNames.LatestHeader), reply, StringComparison.Ordinal);
        Assert.Equal(5, reply.Split("• ").Length - 1);
        Assert.Contains("<a href=\"https://example.org/e7?a=1&amp;b=2\">English 7 &amp; co</a>", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("Azərbaycan", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("English 2 ", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latest_with_nothing_published_says_so()
    {
        await _bot.SendAsync(Text(Person, "/latest", "az"));

        Assert.Equal(BotTexts.Get("az", TextNames.LatestEmpty), (await _bot.LastReplyAsync()).Text);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_only_admins_see_the_admin_ones()
    {
        await _bot.SendAsync(Text(Person, "/help", "ru"));
        await _bot.SendAsync(Text(CommandHarness.Admin, "/help", "ru"));

        var replies = await _bot.RepliesAsync();
        Assert.Equal(BotTexts.Get("ru", TextNames.Help), replies[0].Text);
        Assert.Contains(BotTexts.Get("ru", TextNames.HelpAdmin), replies[1].Text, StringComparison.Ordinal);
    }

    public static TheoryData<string, Update> Chatter => new()
    {
        { "an unknown command", Text(Person, "/whatever") },
        { "plain text", Text(Person, "hello there") },
        { "a very long message", Text(Person, new string('ə', 20_000)) },
        { "a sticker", Sticker(Person) },
        { "a photo with a caption", Photo(Person) },
    };

    [Theory]
    [MemberData(nameof(Chatter))]
    public async Task Anything_else_in_a_private_chat_gets_a_short_help(string what, Update update)
    {
        await _bot.SendAsync(update);

        Assert.True(BotTexts.Get("en", TextNames.ShortHelp) == (await _bot.LastReplyAsync()).Text, what);
        Assert.Equal(0, await _bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL OR error IS NOT NULL"));
    }

    public static TheoryData<string, Update> Ignored => new()
    {
        { "an edited message", Edited(Person, "/start") },
        { "a channel post", ChannelPost(-100777, "/start") },
        { "a message from another bot", FromBot(Person, "/start") },
        { "a command for another bot in a group", Text(Group(-500), Updates.Person(Person), "/start@other_bot") },
        { "a bare unknown command in a group", Text(Group(-500), Updates.Person(Person), "/whatever") },
        { "talk in a group", Text(Group(-500), Updates.Person(Person), "hello") },
        { "a message forwarded from a channel into a group", Text(Group(-500), null, "/help", senderChat: new Chat { Id = -100888, Type = ChatType.Channel }) },
    };

    [Theory]
    [MemberData(nameof(Ignored))]
    public async Task What_is_not_for_the_bot_is_ignored_without_error(string what, Update update)
    {
        await _bot.SendAsync(update);

        Assert.True((await _bot.RepliesAsync()).Count == 0, what);
        Assert.Equal(0, await _bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL OR error IS NOT NULL"));
        Assert.DoesNotContain(_bot.Logs.Messages, line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Warning", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("lang:")]
    [InlineData("lang:+xx")]
    [InlineData("lang:az")]
    [InlineData("bcast:")]
    [InlineData("bcast:-1")]
    [InlineData("")]
    public async Task A_button_whose_data_does_not_parse_gets_a_short_notice(string data)
    {
        await _bot.SendAsync(Text(Person, "/start"));

        await _bot.SendAsync(Callback(Person, 1, data));

        Assert.Equal(BotTexts.Get("en", TextNames.ButtonExpired), Assert.Single(_bot.Telegram.CallbackAnswers).Text);
        Assert.Equal(0, await _bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE error IS NOT NULL"));
    }

    private async Task<(bool Active, string? Reason)> ActiveAndReasonAsync()
    {
        var subscriber = await _bot.Store.GetSubscriberAsync(Person, default);
        return (subscriber!.Active, subscriber.LeftReason);
    }
}
