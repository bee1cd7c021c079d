using Atlas.Bot.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

/// <summary>The reply budget as the bot applies it: the commands through the router, at the default limits.</summary>
public sealed class CommandFloodTests : IAsyncLifetime
{
    private const long Person = 2001;
    private const long GroupId = -1005550001;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
    private CommandHarness _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await CommandHarness.StartAsync(services => services.AddSingleton(new ReplyBudget(Options.Create(new CommandLimits()), _clock)));

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task A_flood_of_latest_from_one_person_gets_one_answer_and_one_notice_in_their_language()
    {
        for (var i = 0; i < 10; i++)
        {
            await _bot.SendAsync(Text(Person, "/latest", "ru"));
        }

        _clock.Advance(TimeSpan.FromSeconds(2));
        await _bot.SendAsync(Text(Person, "/latest", "ru"));

        var latest = BotTexts.Get("ru", TextNames.LatestEmpty);
        Assert.Equal([latest, BotTexts.Get("ru", TextNames.TooManyRequests), latest], (await _bot.RepliesAsync()).Select(reply => reply.Text));
        Assert.Equal(11, await _bot.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL AND error IS NULL"));
        Assert.Single(_bot.Logs.Messages, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("Too many requests from 2001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Latest_in_a_group_follows_the_groups_budget_whoever_of_its_members_asks()
    {
        for (var member = 3001; member <= 3022; member++)
        {
            await _bot.SendAsync(Text(Group(GroupId), Person(member, "az"), "/latest"));
        }

        var replies = await _bot.RepliesAsync();
        Assert.Equal(21, replies.Count);
        Assert.All(replies, reply => Assert.Equal(GroupId.ToString(System.Globalization.CultureInfo.InvariantCulture), reply.Chat));
        Assert.Equal(BotTexts.Get("az", TextNames.TooManyRequests), replies[^1].Text);
    }

    [Fact]
    public async Task What_the_bot_does_not_answer_costs_nothing()
    {
        for (var i = 0; i < 5; i++)
        {
            await _bot.SendAsync(Text(Group(GroupId), Person(3001), "/weather"));
            await _bot.SendAsync(Text(Group(GroupId), Person(3001), "good morning"));
            await _bot.SendAsync(Edited(3001, "/latest"));
        }

        await _bot.SendAsync(Text(Group(GroupId), Person(3001), "/latest"));

        Assert.Equal(BotTexts.Get("en", TextNames.LatestEmpty), Assert.Single(await _bot.RepliesAsync()).Text);
    }

    [Fact]
    public async Task Button_presses_cost_like_commands_and_over_budget_get_one_toast_then_nothing()
    {
        await _bot.SendAsync(Text(Person, "/start"));
        _clock.Advance(TimeSpan.FromSeconds(2));

        await _bot.SendAsync(Callback(Person, 7, "lang:+ru"));
        await _bot.SendAsync(Callback(Person, 7, "lang:+az"));
        await _bot.SendAsync(Callback(Person, 7, "lang:+az"));

        Assert.Equal(["en", "ru"], (await _bot.Store.GetSubscriberAsync(Person, default))!.Languages);
        Assert.Equal(
            [BotTexts.Get("en", TextNames.LangSaved, "English, Russian"), BotTexts.Get("en", TextNames.TooManyRequests)],
            _bot.Telegram.CallbackAnswers.Select(answer => answer.Text));
    }

    [Fact]
    public async Task An_admin_is_held_to_the_same_interval()
    {
        await _bot.SendAsync(Text(CommandHarness.Admin, "/subscribers"));
        await _bot.SendAsync(Text(CommandHarness.Admin, "/failed"));
        await _bot.SendAsync(Text(CommandHarness.Admin, "/failed"));

        Assert.Equal(BotTexts.Get("en", TextNames.TooManyRequests), (await _bot.RepliesAsync())[^1].Text);
        Assert.Equal(2, (await _bot.RepliesAsync()).Count);
        Assert.Equal(1, await _bot.Database.CountAsync("SELECT COUNT(*) FROM audit"));
    }

    [Fact]
    public async Task An_update_handled_again_after_a_crash_keeps_its_answer()
    {
        await _bot.SendAsync(Text(Person, "/help"));

        // A crash between handling and marking: the update is handled again, by a budget that has just counted it.
        await _bot.Database.CountAsync("UPDATE inbox SET handled_at = NULL RETURNING 0");
        await _bot.Processor.HandlePendingAsync(default);

        Assert.Equal(BotTexts.Get("en", TextNames.Help), Assert.Single(await _bot.RepliesAsync()).Text);
    }
}
