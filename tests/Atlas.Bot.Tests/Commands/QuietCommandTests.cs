using System.Text;
using Atlas.Bot.Commands;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.DependencyInjection;
using Telegram.Bot.Types.Enums;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

/// <summary>/quiet and its buttons, against the strict fake Bot API, with the bot's clock standing at 14:05 in Baku.</summary>
public sealed class QuietCommandTests : IAsyncLifetime
{
    private const long Person = 2201;
    private const long GroupId = -1005550201;
    private const long GroupAdmin = 3201;
    private const long Member = 3202;

    /// <summary>14:05 in Baku (UTC+4).</summary>
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 10, 5, 0, TimeSpan.Zero);

    private CommandHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await CommandHarness.StartAsync(services => services.AddSingleton<TimeProvider>(new StandingClock(Now)));
        _bot.Telegram.SetChatMember(GroupId, GroupAdmin, ChatMemberStatus.Administrator);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Quiet_offers_off_and_three_nights_with_the_current_choice_marked_and_names_the_zone()
    {
        await _bot.SendAsync(Text(Person, "/start", "en"));

        await _bot.SendAsync(Text(Person, "/quiet", "en"));

        var reply = await _bot.LastReplyAsync();
        Assert.Equal(Prompt("en"), reply.Text);
        Assert.Contains("Asia/Baku", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Telegram does not tell bots", reply.Text, StringComparison.Ordinal);
        var buttons = Assert.Single(reply.Keyboard!);
        Assert.Equal(["✅ Off", "22–07", "23–08", "00–09"], buttons.Select(button => button.Text));
        Assert.Equal(["quiet:off", "quiet:2207", "quiet:2308", "quiet:0009"], buttons.Select(button => button.CallbackData));
        Assert.All(buttons, button => Assert.InRange(Encoding.UTF8.GetByteCount(button.CallbackData!), 1, 64));
    }

    [Theory]
    [InlineData("az", "✅ Söndürülüb")]
    [InlineData("ru", "✅ Выкл.")]
    [InlineData("en", "✅ Off")]
    public async Task Quiet_speaks_the_persons_language(string language, string off)
    {
        await _bot.SendAsync(Text(Person, "/start", language));

        await _bot.SendAsync(Text(Person, "/quiet", language));
        var prompt = await _bot.LastReplyAsync();
        await _bot.SendAsync(Text(Person, "/quiet 23-7", language));
        var saved = await _bot.LastReplyAsync();
        await _bot.SendAsync(Text(Person, "/quiet soon", language));
        var refused = await _bot.LastReplyAsync();

        Assert.Equal((Prompt(language), off), (prompt.Text, prompt.Keyboard![0][0].Text));
        Assert.Equal(BotTexts.Get(language, TextNames.QuietSaved, "23:00–07:00", Zone(language)), saved.Text);
        Assert.Contains("Asia/Baku", saved.Text, StringComparison.Ordinal);
        Assert.Equal(BotTexts.Get(language, TextNames.QuietUsage), refused.Text);
    }

    [Fact]
    public async Task A_press_sets_the_hours_answers_the_press_and_marks_the_choice_in_place()
    {
        await _bot.StartSendingAsync();
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(Person, "/quiet", "en"));
        var message = (await _bot.Telegram.WaitForMessagesAsync(2, TimeSpan.FromSeconds(30)))[1];

        await _bot.SendAsync(Callback(Person, message.MessageId, DataOf(message.Buttons, "23–08")));
        Assert.Equal(new QuietSpan(23, 8), await QuietAsync(Person));
        var edit = Assert.Single(_bot.Telegram.KeyboardEdits);
        Assert.Equal(message.MessageId, edit.MessageId);
        Assert.Equal(["Off", "22–07", "✅ 23–08", "00–09"], edit.Buttons.Select(button => button.Text));

        await _bot.SendAsync(Callback(Person, message.MessageId, DataOf(edit.Buttons, "Off")));
        Assert.Null(await QuietAsync(Person));
        Assert.Equal(["✅ Off", "22–07", "23–08", "00–09"], _bot.Telegram.KeyboardEdits.Last().Buttons.Select(button => button.Text));
        Assert.Equal(
            [BotTexts.Get("en", TextNames.QuietToastSpan, "23:00–08:00"), BotTexts.Get("en", TextNames.QuietToastOff)],
            _bot.Telegram.CallbackAnswers.Select(answer => answer.Text));
        Assert.Equal(2, _bot.Telegram.Messages.Count);
    }

    [Fact]
    public async Task The_same_press_twice_changes_nothing_twice()
    {
        await _bot.StartSendingAsync();
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(Person, "/quiet", "en"));
        var message = (await _bot.Telegram.WaitForMessagesAsync(2, TimeSpan.FromSeconds(30)))[1];
        var press = Callback(Person, message.MessageId, "quiet:2207");

        await _bot.SendAsync(press);
        await _bot.SendAsync(press);
        await _bot.SendAsync(Callback(Person, message.MessageId, "quiet:2207"));

        Assert.Equal(new QuietSpan(22, 7), await QuietAsync(Person));
        Assert.Single(_bot.Telegram.KeyboardEdits);
        // The same query handled twice is answered twice, and Telegram (the strict double) takes only the first answer.
        Assert.Equal(2, _bot.Telegram.CallbackAnswers.Count);
        Assert.All(_bot.Telegram.CallbackAnswers, answer => Assert.Equal(BotTexts.Get("en", TextNames.QuietToastSpan, "22:00–07:00"), answer.Text));
    }

    [Theory]
    [InlineData("23-7", 23, 7)]
    [InlineData("23-07", 23, 7)]
    [InlineData("23:00-07:00", 23, 7)]
    [InlineData("23 – 07", 23, 7)]
    [InlineData("23—7", 23, 7)]
    [InlineData("0-9", 0, 9)]
    [InlineData("9-17", 9, 17)]
    [InlineData("23-0", 23, 0)]
    public async Task A_typed_span_is_kept_and_confirmed_with_the_zone(string typed, int start, int end)
    {
        await _bot.SendAsync(Text(Person, "/start", "en"));

        await _bot.SendAsync(Text(Person, "/quiet " + typed, "en"));

        Assert.Equal(new QuietSpan(start, end), await QuietAsync(Person));
        Assert.Equal(BotTexts.Get("en", TextNames.QuietSaved, QuietKeyboard.Spelled(new QuietSpan(start, end)), Zone("en")), (await _bot.LastReplyAsync()).Text);
    }

    [Fact]
    public async Task Quiet_off_clears_the_hours()
    {
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(Person, "/quiet 22-7", "en"));

        await _bot.SendAsync(Text(Person, "/quiet OFF", "en"));

        Assert.Null(await QuietAsync(Person));
        Assert.Equal(BotTexts.Get("en", TextNames.QuietOff), (await _bot.LastReplyAsync()).Text);
    }

    [Theory]
    [InlineData("25-3")]
    [InlineData("5-5")]
    [InlineData("soon")]
    [InlineData("22:30-07:00")]
    [InlineData("23-")]
    [InlineData("-7")]
    [InlineData("1-2-3")]
    [InlineData("23-24")]
    [InlineData("123-4")]
    [InlineData("٢٣-٠٧")]
    public async Task A_span_that_cannot_be_read_says_the_accepted_form_and_changes_nothing(string typed)
    {
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(Person, "/quiet 22-7", "en"));

        await _bot.SendAsync(Text(Person, "/quiet " + typed, "en"));

        Assert.Equal(new QuietSpan(22, 7), await QuietAsync(Person));
        var answer = (await _bot.LastReplyAsync()).Text;
        Assert.Equal(BotTexts.Get("en", TextNames.QuietUsage), answer);
        Assert.Contains("/quiet 23-07", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_typed_span_that_is_none_of_the_buttons_gets_a_marked_button_of_its_own()
    {
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(Person, "/quiet 21-6", "en"));

        await _bot.SendAsync(Text(Person, "/quiet", "en"));

        var keyboard = (await _bot.LastReplyAsync()).Keyboard!;
        Assert.Equal([["Off", "22–07", "23–08", "00–09"], ["✅ 21–06"]], keyboard.Select(row => row.Select(button => button.Text)));
        Assert.Equal("quiet:2106", keyboard[1][0].CallbackData);
    }

    [Fact]
    public async Task A_stop_and_a_new_start_keep_the_choice()
    {
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(Person, "/quiet 23-08", "en"));

        await _bot.SendAsync(Text(Person, "/stop", "en"));
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(Person, "/quiet", "en"));

        Assert.Equal(new QuietSpan(23, 8), await QuietAsync(Person));
        Assert.Equal("✅ 23–08", (await _bot.LastReplyAsync()).Keyboard![0][2].Text);
    }

    [Fact]
    public async Task Without_a_subscription_quiet_and_its_buttons_say_to_start_first()
    {
        await _bot.SendAsync(Text(Person, "/quiet 22-7", "en"));
        await _bot.SendAsync(Callback(Person, 1, "quiet:2207"));

        Assert.Equal(BotTexts.Get("en", TextNames.NotSubscribed), (await _bot.LastReplyAsync()).Text);
        Assert.Equal(BotTexts.Get("en", TextNames.NotSubscribed), Assert.Single(_bot.Telegram.CallbackAnswers).Text);
        Assert.Null(await QuietAsync(Person));
    }

    [Fact]
    public async Task In_a_group_an_admin_sets_the_quiet_hours_and_a_member_cannot()
    {
        var group = Group(GroupId);
        await _bot.SendAsync(Text(group, Person(GroupAdmin), "/subscribe"));

        await _bot.SendAsync(Text(group, Person(Member), "/quiet 22-7"));
        Assert.Equal(BotTexts.Get("en", TextNames.GroupAdminsOnly), (await _bot.LastReplyAsync()).Text);
        await _bot.SendAsync(Callback(Member, 7, "quiet:2207", group));
        Assert.Equal(BotTexts.Get("en", TextNames.GroupAdminsOnly), _bot.Telegram.CallbackAnswers.Last().Text);
        Assert.Null(await QuietAsync(GroupId));

        await _bot.SendAsync(Text(group, Person(GroupAdmin), "/quiet 23-8"));
        Assert.Equal(new QuietSpan(23, 8), await QuietAsync(GroupId));
        await _bot.SendAsync(Text(group, Person(GroupAdmin), $"/quiet@{CommandHarness.BotUsername}"));
        Assert.Equal("✅ 23–08", (await _bot.LastReplyAsync()).Keyboard![0][2].Text);
        await _bot.SendAsync(Callback(GroupAdmin, 7, "quiet:0009", group));
        Assert.Equal(new QuietSpan(0, 9), await QuietAsync(GroupId));
    }

    [Fact]
    public async Task Subscribers_counts_the_active_subscribers_with_quiet_hours()
    {
        foreach (var (chat, span) in new[] { (4001L, "22-7"), (4002L, "0-9"), (4003L, "23-8"), (4004L, "") })
        {
            await _bot.SendAsync(Text(chat, "/start", "en"));
            await _bot.SendAsync(Text(chat, ("/quiet " + span).Trim(), "en"));
        }

        await _bot.SendAsync(Text(4003, "/stop", "en"));
        await _bot.SendAsync(Text(CommandHarness.Admin, "/subscribers", "en"));

        Assert.Contains("\n" + BotTexts.Get("en", TextNames.SubscribersQuiet, 2) + "\n", (await _bot.LastReplyAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answers_to_commands_are_never_silent_even_inside_quiet_hours()
    {
        await _bot.StartSendingAsync();
        await _bot.SendAsync(Text(Person, "/start", "en"));
        await _bot.SendAsync(Text(Person, "/quiet 13-15", "en")); // 14:05 in Baku: inside

        await _bot.SendAsync(Text(Person, "/help", "en"));

        var messages = await _bot.Telegram.WaitForMessagesAsync(3, TimeSpan.FromSeconds(30));
        Assert.All(messages, message => Assert.False(message.DisableNotification));
    }

    [Theory]
    [InlineData("off", null, null)]
    [InlineData("2207", 22, 7)]
    [InlineData("0009", 0, 9)]
    [InlineData("2300", 23, 0)]
    public void A_quiet_button_says_what_it_sets(string data, int? start, int? end) =>
        Assert.Equal(new QuietChoice(start is { } from ? new QuietSpan(from, end!.Value) : null), QuietKeyboard.Parse(data));

    [Theory]
    [InlineData("")]
    [InlineData("on")]
    [InlineData("0505")]
    [InlineData("2407")]
    [InlineData("22-7")]
    [InlineData("220")]
    [InlineData("22070")]
    [InlineData("٢٢٠٧")]
    public void Anything_else_is_no_quiet_button(string data) => Assert.Null(QuietKeyboard.Parse(data));

    private static string Prompt(string language) => BotTexts.Get(language, TextNames.QuietPrompt, Zone(language));

    private static string Zone(string language) => BotTexts.Get(language, TextNames.QuietZone, "Asia/Baku", "14:05");

    private Task<QuietSpan?> QuietAsync(long chat) => _bot.Store.QuietHoursAsync(chat, default);

    private static string DataOf(IEnumerable<SentButton> buttons, string text) =>
        buttons.Single(button => button.Text == text).CallbackData!;

    /// <summary>The bot's clock, standing still; timers run in real time.</summary>
    private sealed class StandingClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
