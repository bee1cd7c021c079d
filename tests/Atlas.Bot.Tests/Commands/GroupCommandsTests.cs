using Atlas.Bot.Commands;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

public sealed class GroupCommandsTests : IAsyncLifetime
{
    private const long GroupId = -1005550001;
    private const long GroupAdmin = 3001;
    private const long Member = 3002;
    private CommandHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await CommandHarness.StartAsync();
        _bot.Telegram.SetChatMember(GroupId, GroupAdmin, ChatMemberStatus.Administrator);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("/subscribe")]
    [InlineData("/subscribe@atlas_test_bot")]
    [InlineData("/subscribe@Atlas_Test_Bot")]
    public async Task A_group_admin_subscribes_the_group(string command)
    {
        await _bot.SendAsync(Text(Group(GroupId), Person(GroupAdmin, "az"), command));

        var group = await _bot.Store.GetSubscriberAsync(GroupId, default);
        Assert.Equal(("supergroup", "Analysts' group", true), (group!.Kind, group.Title, group.Active));
        Assert.Equal(["az"], group.Languages);
        Assert.Equal(BotTexts.Get("az", TextNames.GroupSubscribed, "Azərbaycan dili"), (await _bot.LastReplyAsync()).Text);
    }

    [Fact]
    public async Task An_anonymous_admin_writing_as_the_group_counts_as_an_admin()
    {
        var group = Group(GroupId, ChatType.Group);

        await _bot.SendAsync(Text(group, new User { Id = 1087968824, IsBot = true, FirstName = "Group", Username = "GroupAnonymousBot" }, "/subscribe", senderChat: group));

        Assert.Equal("group", (await _bot.Store.GetSubscriberAsync(GroupId, default))!.Kind);
    }

    [Fact]
    public async Task An_anonymous_admin_chooses_the_groups_languages_and_a_member_cannot()
    {
        var group = Group(GroupId);
        var anonymous = new User { Id = 1087968824, IsBot = true, FirstName = "Group", Username = "GroupAnonymousBot" };
        await _bot.SendAsync(Text(group, anonymous, "/subscribe", senderChat: group));
        await _bot.SendAsync(Text(group, anonymous, "/lang", senderChat: group));
        var prompt = await _bot.LastReplyAsync();
        Assert.Contains("lang:+ru", prompt.Keyboard!.SelectMany(row => row).Select(button => button.CallbackData));

        // Telegram names the real person behind a button press, anonymous admin or not; they are asked about.
        await _bot.SendAsync(Callback(Member, 7, "lang:+ru", group));
        await _bot.SendAsync(Callback(GroupAdmin, 7, "lang:+ru", group));

        Assert.Equal(["en", "ru"], (await _bot.Store.GetSubscriberAsync(GroupId, default))!.Languages);
        Assert.Equal(BotTexts.Get("en", TextNames.GroupAdminsOnly), _bot.Telegram.CallbackAnswers.First().Text);
    }

    [Fact]
    public async Task A_member_who_is_not_an_admin_is_politely_refused()
    {
        await _bot.SendAsync(Text(Group(GroupId), Person(Member, "ru"), "/subscribe"));

        Assert.Null(await _bot.Store.GetSubscriberAsync(GroupId, default));
        Assert.Equal(BotTexts.Get("ru", TextNames.GroupAdminsOnly), (await _bot.LastReplyAsync()).Text);
    }

    [Fact]
    public async Task A_subscribe_addressed_to_another_bot_is_not_ours()
    {
        await _bot.SendAsync(Text(Group(GroupId), Person(GroupAdmin), "/subscribe@other_bot"));

        Assert.Null(await _bot.Store.GetSubscriberAsync(GroupId, default));
        Assert.Empty(await _bot.RepliesAsync());
    }

    [Fact]
    public async Task Start_in_a_group_answers_with_a_short_help_about_subscribe()
    {
        await _bot.SendAsync(Text(Group(GroupId), Person(Member), "/start@atlas_test_bot"));

        Assert.Contains("/subscribe", (await _bot.LastReplyAsync()).Text, StringComparison.Ordinal);
        Assert.Null(await _bot.Store.GetSubscriberAsync(GroupId, default));
    }

    [Fact]
    public async Task A_subscribed_group_that_removes_the_bot_is_unsubscribed_and_remembered_as_such()
    {
        await _bot.SendAsync(Text(Group(GroupId), Person(GroupAdmin), "/subscribe"));

        await _bot.SendAsync(MyChatMember(Group(GroupId), new ChatMemberBanned { User = BotUser }));

        var group = await _bot.Store.GetSubscriberAsync(GroupId, default);
        Assert.Equal((false, "kicked"), (group!.Active, group.LeftReason));
        var membership = Assert.Single(await _bot.Store.MembershipsAsync(default));
        Assert.Equal(("kicked", false), (membership.Status, membership.CanPost));
    }

    [Fact]
    public async Task An_admin_unsubscribes_the_group()
    {
        await _bot.SendAsync(Text(Group(GroupId), Person(GroupAdmin), "/subscribe"));

        await _bot.SendAsync(Text(Group(GroupId), Person(GroupAdmin), "/unsubscribe"));

        Assert.False((await _bot.Store.GetSubscriberAsync(GroupId, default))!.Active);
        Assert.Equal(BotTexts.Get("en", TextNames.GroupUnsubscribed), (await _bot.LastReplyAsync()).Text);
    }

    public static TheoryData<string, ChatType, ChatMember, bool> Memberships => new()
    {
        { "channel admin allowed to post", ChatType.Channel, new ChatMemberAdministrator { User = BotUser, CanPostMessages = true }, true },
        { "channel admin without the right", ChatType.Channel, new ChatMemberAdministrator { User = BotUser, CanPostMessages = false }, false },
        { "channel member", ChatType.Channel, new ChatMemberMember { User = BotUser }, false },
        { "channel left", ChatType.Channel, new ChatMemberLeft { User = BotUser }, false },
        { "group member", ChatType.Supergroup, new ChatMemberMember { User = BotUser }, true },
        { "group admin", ChatType.Supergroup, new ChatMemberAdministrator { User = BotUser }, true },
    };

    [Theory]
    [MemberData(nameof(Memberships))]
    public async Task Memberships_are_remembered_with_whether_the_bot_can_post(string what, ChatType type, ChatMember member, bool canPost)
    {
        var chat = new Chat { Id = -1009990001, Type = type, Title = "Atlas", Username = "atlas_az" };

        await _bot.SendAsync(MyChatMember(chat, member));

        var membership = Assert.Single(await _bot.Store.MembershipsAsync(default));
        Assert.True(("@atlas_az", canPost) == (membership.Chat, membership.CanPost), what);
    }
}
