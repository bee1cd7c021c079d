using System.Globalization;
using Atlas.Bot.Commands;
using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Time.Testing;
using Telegram.Bot;
using Telegram.Bot.Extensions;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

/// <summary>
/// /unpost end to end: an analysis posted through the real dispatcher to the fake Bot API (a channel, a subscribed group,
/// private subscribers), then taken down by an admin; the fake deletes as strictly as Telegram, 48-hour rule included.
/// </summary>
public abstract class UnpostCommandTests(Provider provider)
{
    private const long Admin = CommandHarness.Admin;
    private const long Stranger = 4001;
    private const long Group = -1001000000777;
    private const long Reader = 3001;
    private const long Late = 3002;
    private const string Channel = "@atlas_en";
    private const string Link = "https://atlas.az/en/analysis-1";
    private const string Title = "Energy corridors & the South Caucasus";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Unpost_by_link_deletes_the_channel_and_group_posts_keeps_private_copies_and_cancels_what_still_waits()
    {
        await using var bot = await CommandHarness.StartAsync(provider: provider);
        await SubscribeAsync(bot, Group, Reader, Late);
        // Late's copy waits: Telegram asked the bot to hold back for an hour.
        bot.Telegram.Fault = request => request.Method == "sendmessage" && request.Number("chat_id") == Late ? FakeReply.TooManyRequests(3600) : null;
        await RecordAsync(bot, [Channel]);
        await PostedAsync(bot, Channel, Chat(Group), Chat(Reader));
        await Until.TrueAsync(
            async () => await bot.Database.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE chat = '{Late}' AND last_error LIKE '429%'") == 1,
            "the late chat's 429 to be recorded",
            Patience);
        var channelPost = bot.Telegram.Messages.Single(message => message.Chat == Channel);
        var groupPost = bot.Telegram.Messages.Single(message => message.ChatId == Group);
        var readerCopy = bot.Telegram.Messages.Single(message => message.ChatId == Reader);

        await bot.SendAsync(Text(Admin, "/unpost " + Link));

        Assert.Equal(
            [(Channel, channelPost.MessageId), (Chat(Group), groupPost.MessageId)],
            bot.Telegram.Deletions.Select(deletion => (deletion.Chat, deletion.MessageId)));
        Assert.NotNull(bot.Telegram.CurrentMessage(Reader, readerCopy.MessageId));
        Assert.Equal(
            string.Join("\n", Header("en"), "", T("en", TextNames.UnpostDeleted, 2, 2), "", T("en", TextNames.UnpostCancelled, 1), T("en", TextNames.UnpostKept, 1)),
            (await bot.LastReplyAsync()).Text);
        Assert.Equal(1, await bot.Database.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE chat = '{Late}' AND state = 'dropped' AND last_error = 'taken down'"));
        Assert.Equal(1, await bot.Database.CountAsync($"SELECT COUNT(*) FROM audit WHERE user_id = {Admin} AND action = 'unpost' AND detail = '{Link}' AND allowed = 1"));
        Assert.Equal(1, await bot.Database.CountAsync(
            $"SELECT COUNT(*) FROM audit WHERE user_id = {Admin} AND action = 'unpost-result' AND detail LIKE 'item % deleted 2 of 2 (0 already gone), cancelled 1, kept 1'"));

        // Even when its hour is up, the cancelled copy is never claimed, so never sent; the item stays known, never posted again.
        var due = await bot.Store.ClaimDueAsync(DateTimeOffset.UtcNow.AddHours(2), 100, TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.DoesNotContain(due, delivery => delivery.Chat == Chat(Late));
        Assert.False(await RecordAsync(bot, [Channel]));
    }

    [Fact]
    public async Task A_group_post_older_than_48_hours_is_named_with_Telegrams_reason_and_the_newer_channel_post_is_still_deleted()
    {
        var telegramClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bot = await CommandHarness.StartAsync(provider: provider, telegramTime: telegramClock);
        await SubscribeAsync(bot, Group);
        await bot.Store.RecordMembershipAsync(new Membership(Chat(Group), "Analysts", "supergroup", "member", CanPost: true, DateTimeOffset.UtcNow), CancellationToken.None);
        // The channel's post waits (the bot was not its admin yet) while the group's goes out; it follows 49 hours later.
        await bot.Store.BlockChatAsync(Channel, "not enough rights", DateTimeOffset.UtcNow, CancellationToken.None);
        await RecordAsync(bot, [Channel]);
        await bot.StartSendingAsync();
        var groupPost = Assert.Single(await bot.Telegram.WaitForMessagesAsync(1, Patience));
        telegramClock.Advance(TimeSpan.FromHours(49));
        await bot.Store.UnblockChatsAsync([Channel], CancellationToken.None);
        bot.Get<OutboxSignal>().Notify();
        var channelPost = (await bot.Telegram.WaitForMessagesAsync(2, Patience))[1];
        await SentAsync(bot, Channel);

        await bot.SendAsync(Text(Admin, "/unpost " + Link, "ru"));

        Assert.Equal([(Channel, channelPost.MessageId)], bot.Telegram.Deletions.Select(deletion => (deletion.Chat, deletion.MessageId)));
        Assert.NotNull(bot.Telegram.CurrentMessage(Group, groupPost.MessageId));
        Assert.Equal(
            string.Join("\n",
                Header("ru"), "", T("ru", TextNames.UnpostDeleted, 1, 2), "",
                T("ru", TextNames.UnpostRefusedHeader),
                $"• Analysts ({Group}): " + T("ru", TextNames.UnpostTooOld, HtmlText.Escape("Bad Request: message can't be deleted")), "",
                T("ru", TextNames.UnpostCancelled, 0)),
            (await bot.LastReplyAsync()).Text);
        Assert.Equal(1, await bot.Database.CountAsync(
            $"SELECT COUNT(*) FROM audit WHERE action = 'unpost-result' AND detail LIKE '%deleted 1 of 2%; refused {Group}/{groupPost.MessageId}'"));
    }

    [Fact]
    public async Task Unpost_by_code_acts_once_per_update_and_a_later_unpost_finds_nothing_left_to_delete()
    {
        await using var bot = await CommandHarness.StartAsync(provider: provider);
        await SubscribeAsync(bot, Group);
        await RecordAsync(bot, [Channel]);
        await PostedAsync(bot, Channel, Chat(Group));
        var code = (await bot.Store.FindTrackedItemByCodeOrLinkAsync(Link, CancellationToken.None))!.Code;

        await bot.SendAsync(Text(Admin, "/unpost " + code));
        // The same update handled again (a crash before it was marked, a lost lease): nothing is deleted or said twice.
        await bot.Database.CountAsync("UPDATE inbox SET handled_at = NULL RETURNING 0");
        await bot.Processor.HandlePendingAsync(CancellationToken.None);

        Assert.Equal(2, bot.Telegram.Deletions.Count);
        Assert.Equal(2, bot.Telegram.Requests.Count(request => request.Method == "deletemessage"));
        var reply = Assert.Single(await bot.RepliesAsync());
        Assert.StartsWith(Header("en") + "\n\n" + T("en", TextNames.UnpostDeleted, 2, 2), reply.Text, StringComparison.Ordinal);
        Assert.Equal(1, await bot.Database.CountAsync("SELECT COUNT(*) FROM audit WHERE action = 'unpost-result'"));

        await bot.SendAsync(Text(Admin, $"/unpost https://bot.atlas.az/r/{code}"));

        Assert.Equal(2, bot.Telegram.Requests.Count(request => request.Method == "deletemessage"));
        Assert.Equal(
            string.Join("\n", Header("en"), "", T("en", TextNames.UnpostNothingToDelete), "", T("en", TextNames.UnpostCancelled, 0)),
            (await bot.LastReplyAsync()).Text);
    }

    [Fact]
    public async Task A_post_on_the_wire_when_taken_down_is_deleted_by_the_next_unpost()
    {
        await using var bot = await CommandHarness.StartAsync(provider: provider);
        bot.Telegram.Fault = request => request.Method == "sendmessage" && request.Field("chat_id") == Channel ? new FakeReply.Delay(TimeSpan.FromSeconds(3)) : null;
        await RecordAsync(bot, [Channel]);
        await bot.StartSendingAsync();
        await Until.TrueAsync(() => bot.Telegram.Requests.Any(request => request.Method == "sendmessage"), "the post to be on the wire", Patience);

        await bot.SendAsync(Text(Admin, "/unpost " + Link));
        var post = Assert.Single(await bot.Telegram.WaitForMessagesAsync(1, Patience));
        await SentAsync(bot, Channel);
        await bot.SendAsync(Text(Admin, "/unpost " + Link));

        var replies = await bot.RepliesAsync();
        Assert.Equal(
            string.Join("\n", Header("en"), "", T("en", TextNames.UnpostNothingToDelete), "", T("en", TextNames.UnpostCancelled, 1) + " " + T("en", TextNames.UnpostInFlight, 1)),
            replies[0].Text);
        Assert.StartsWith(Header("en") + "\n\n" + T("en", TextNames.UnpostDeleted, 1, 1), replies[1].Text, StringComparison.Ordinal);
        Assert.Equal([(Channel, post.MessageId)], bot.Telegram.Deletions.Select(deletion => (deletion.Chat, deletion.MessageId)));
    }

    [Fact]
    public async Task A_post_already_gone_counts_as_deleted_and_one_Telegram_could_not_delete_now_is_deleted_by_the_next_unpost()
    {
        await using var bot = await CommandHarness.StartAsync(provider: provider);
        await SubscribeAsync(bot, Group);
        await RecordAsync(bot, [Channel]);
        await PostedAsync(bot, Channel, Chat(Group));
        var channelPost = bot.Telegram.Messages.Single(message => message.Chat == Channel);
        var groupPost = bot.Telegram.Messages.Single(message => message.ChatId == Group);
        // An editor deleted the channel's post by hand; Telegram's servers fail once for the group.
        await bot.Telegram.CreateClient().DeleteMessage(Channel, channelPost.MessageId);
        bot.Telegram.Fault = request => request.Method == "deletemessage" && request.Number("chat_id") == Group ? FakeReply.InternalServerError() : null;

        await bot.SendAsync(Text(Admin, "/unpost " + Link));
        bot.Telegram.Fault = null;
        await bot.SendAsync(Text(Admin, "/unpost " + Link));

        var replies = await bot.RepliesAsync();
        Assert.StartsWith(
            string.Join("\n", Header("en"), "", T("en", TextNames.UnpostDeleted, 1, 2) + " " + T("en", TextNames.UnpostAlreadyGone, 1), "",
                T("en", TextNames.UnpostFailedHeader), $"• {Group}: Telegram answered 500"),
            replies[0].Text, StringComparison.Ordinal);
        Assert.StartsWith(Header("en") + "\n\n" + T("en", TextNames.UnpostDeleted, 1, 1) + "\n", replies[1].Text, StringComparison.Ordinal);
        Assert.Equal(
            [(Channel, channelPost.MessageId), (Chat(Group), groupPost.MessageId)],
            bot.Telegram.Deletions.Select(deletion => (deletion.Chat, deletion.MessageId)));
    }

    [Theory]
    [InlineData(Stranger, "/unpost " + Link, TextNames.AdminOnly)]
    [InlineData(Admin, "/unpost", TextNames.UnpostUsage)]
    public async Task Anyone_but_an_admin_is_refused_and_without_an_analysis_the_admin_learns_how(long user, string command, string answer)
    {
        await using var bot = await CommandHarness.StartAsync(provider: provider);
        await RecordAsync(bot, [Channel]);

        await bot.SendAsync(Text(user, command, "az"));

        Assert.Equal(T("az", answer), Assert.Single(await bot.RepliesAsync()).Text);
        Assert.Equal(1, await bot.Database.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE chat = '{Channel}' AND state = 'pending'"));
        Assert.Equal(user == Admin ? 1 : 0, await bot.Database.CountAsync($"SELECT COUNT(*) FROM audit WHERE action = 'unpost' AND allowed = 1"));
    }

    [Fact]
    public async Task An_unknown_link_is_said_to_be_unknown_and_nothing_is_touched()
    {
        await using var bot = await CommandHarness.StartAsync(provider: provider);
        await RecordAsync(bot, [Channel]);

        await bot.SendAsync(Text(Admin, "/unpost https://atlas.az/en/<nope>"));

        Assert.Equal(T("en", TextNames.UnpostUnknown, "https://atlas.az/en/&lt;nope&gt;"), Assert.Single(await bot.RepliesAsync()).Text);
        Assert.Equal(1, await bot.Database.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE chat = '{Channel}' AND state = 'pending'"));
        Assert.Equal(0, await bot.Database.CountAsync("SELECT COUNT(*) FROM audit WHERE action = 'unpost-result'"));
    }

    private static async Task SubscribeAsync(CommandHarness bot, params long[] chats)
    {
        foreach (var chat in chats)
        {
            await bot.Store.SubscribeAsync(chat, chat > 0 ? "private" : "supergroup", chat > 0 ? null : "Analysts", "en", ["en"], DateTimeOffset.UtcNow, CancellationToken.None);
        }
    }

    private static Task<bool> RecordAsync(CommandHarness bot, IReadOnlyList<string> channels) =>
        bot.Store.RecordItemAsync(
            new ItemRecord("en", "k1", Title, Link, DateTimeOffset.UtcNow, null, "en"),
            new Post($"<b>{HtmlText.Escape(Title)}</b>", ButtonText: "Read", ButtonUrl: Link),
            channels, DateTimeOffset.UtcNow, CancellationToken.None);

    /// <summary>Waits until the dispatcher recorded the posts to <paramref name="chats"/> as sent, not only until Telegram accepted them.</summary>
    private static Task SentAsync(CommandHarness bot, params string[] chats) =>
        Until.TrueAsync(
            async () => await bot.Database.CountAsync(
                $"SELECT COUNT(*) FROM deliveries WHERE item_seq IS NOT NULL AND state = 'sent' AND chat IN ('{string.Join("', '", chats)}')") == chats.Length,
            "the posts to be recorded as sent",
            Patience);

    /// <summary>Starts sending and waits until the post reached <paramref name="chats"/> and each send was recorded.</summary>
    private static async Task PostedAsync(CommandHarness bot, params string[] chats)
    {
        await bot.StartSendingAsync();
        await bot.Telegram.WaitForMessagesAsync(chats.Length, Patience);
        await SentAsync(bot, chats);
    }

    private static string Header(string language) => T(language, TextNames.UnpostHeader, $"<a href=\"{Link}\">{HtmlText.Escape(Title)}</a>");

    private static string T(string language, string name, params object?[] args) => BotTexts.Get(language, name, args);

    private static string Chat(long id) => id.ToString(CultureInfo.InvariantCulture);
}

public sealed class UnpostCommandTests_Sqlite() : UnpostCommandTests(Provider.Sqlite);

public sealed class UnpostCommandTests_Postgres() : UnpostCommandTests(Provider.Postgres);
