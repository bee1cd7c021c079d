using System.Globalization;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Telegram.Bot.Types.Enums;
using static Atlas.Bot.Tests.Commands.Updates;
using static Atlas.Bot.Tests.EndToEnd.WordPressFeed;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>
/// Groups that Telegram upgrades to supergroups, through the whole host: Telegram refuses the old id with
/// "group chat was upgraded" and names the new one; the post goes there, once, and so does everything after it.
/// </summary>
public abstract class GroupMigrationTests(Provider provider) : HostTest(provider)
{
    private const long GroupAdmin = 3001;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_subscribed_group_that_became_a_supergroup_gets_the_next_post_there_once_and_its_subscription_moves_with_it()
    {
        const long group = -4000000001, supergroup = -1004000000001;
        await using var bot = await StartAsync(channel: "@atlas_en", subscribedGroup: group);
        var store = bot.Services.GetRequiredService<Store>();

        BotApi.MigrateChat(group, supergroup);
        PublishUpTo(2);
        await WaitForAsync(store, supergroup, article: 2);

        Assert.Equal([2], ArticlesIn("@atlas_en", BotApi.Messages));
        Assert.Equal([2], ArticlesIn(Id(supergroup), BotApi.Messages));
        Assert.Empty(ArticlesIn(Id(group), BotApi.Messages));
        Assert.Null(await store.GetSubscriberAsync(group, CancellationToken.None));
        Assert.True((await store.GetSubscriberAsync(supergroup, CancellationToken.None))?.Active);
    }

    [Fact]
    public async Task After_two_migrations_in_a_row_every_post_reaches_the_last_supergroup_once_both_configured_and_subscribed()
    {
        // A configured channel given as a numeric group id (A → B → C), and a group subscribed with /subscribe (D → E → F).
        const long a = -4000000001, b = -1004000000001, c = -1004000000002;
        const long d = -4000000002, e = -1004000000003, f = -1004000000004;
        await using var bot = await StartAsync(channel: Id(a), subscribedGroup: d);
        var store = bot.Services.GetRequiredService<Store>();

        BotApi.MigrateChat(a, b);
        BotApi.MigrateChat(d, e);
        PublishUpTo(2);
        await WaitForAsync(store, b, article: 2);
        await WaitForAsync(store, e, article: 2);

        BotApi.MigrateChat(b, c);
        BotApi.MigrateChat(e, f);
        PublishUpTo(3);
        await WaitForAsync(store, c, article: 3);
        await WaitForAsync(store, f, article: 3);

        // Learnt: the next post goes straight to the last supergroups, without asking at the old ids first.
        var asked = BotApi.Requests.Count;
        PublishUpTo(4);
        await WaitForAsync(store, c, article: 4);
        await WaitForAsync(store, f, article: 4);

        string[] left = [Id(a), Id(b), Id(d), Id(e)];
        Assert.Equal([2], ArticlesIn(Id(b), BotApi.Messages));
        Assert.Equal([2], ArticlesIn(Id(e), BotApi.Messages));
        Assert.Equal([3, 4], ArticlesIn(Id(c), BotApi.Messages));
        Assert.Equal([3, 4], ArticlesIn(Id(f), BotApi.Messages));
        Assert.Empty(ArticlesIn(Id(a), BotApi.Messages));
        Assert.Empty(ArticlesIn(Id(d), BotApi.Messages));
        Assert.DoesNotContain(BotApi.Requests.Skip(asked), request => left.Contains(request.Field("chat_id")));
        Assert.Equal(f, Assert.Single(await ActiveSubscribersAsync(store, d, e, f)));
    }

    [Fact]
    public async Task A_group_that_subscribed_again_as_a_supergroup_before_the_bot_knew_still_gets_each_post_once()
    {
        const long group = -4000000001, supergroup = -1004000000001;
        await using var bot = await StartAsync(channel: "@atlas_en", subscribedGroup: group);
        var store = bot.Services.GetRequiredService<Store>();

        BotApi.MigrateChat(group, supergroup);
        await SubscribeAsync(store, supergroup, ChatType.Supergroup);
        PublishUpTo(2);
        await WaitForAsync(store, supergroup, article: 2);
        PublishUpTo(3);
        await WaitForAsync(store, supergroup, article: 3);

        var ended = await store.GetSubscriberAsync(group, CancellationToken.None);
        Assert.Equal([2, 3], ArticlesIn(Id(supergroup), BotApi.Messages));
        Assert.Equal((false, "migrated"), (ended!.Active, ended.LeftReason));
        Assert.True((await store.GetSubscriberAsync(supergroup, CancellationToken.None))?.Active);
    }

    /// <summary>The host on a feed that posts to <paramref name="channel"/>, with an ordinary group subscribed by its admin.</summary>
    private async Task<BotHost> StartAsync(string channel, long subscribedGroup)
    {
        PublishUpTo(1);
        var bot = await StartBotAsync(new Dictionary<string, string?>
        {
            ["Feeds:0:Id"] = "en",
            ["Feeds:0:Url"] = Feeds.Url("/en.xml").ToString(),
            ["Feeds:0:Language"] = "en",
            ["Feeds:0:Schedule"] = "0/1 * * * * ?",
            ["Feeds:0:Channels:0"] = channel,
            // The group's admin subscribes two groups within a second here, faster than a person would.
            ["Commands:PerUserSeconds"] = "0",
        });
        var store = bot.Services.GetRequiredService<Store>();
        await Until.TrueAsync(async () => (await store.GetFeedStateAsync("en", CancellationToken.None)).Initialized, "the first poll", Patience);
        await SubscribeAsync(store, subscribedGroup);
        return bot;
    }

    /// <summary>The feed with articles 1 to <paramref name="last"/>.</summary>
    private void PublishUpTo(int last) => Feeds.Publish("/en.xml", Rss([.. Enumerable.Range(1, last).Select(number => new Article(number))]));

    /// <summary>An admin of the group sends /subscribe in it; returns once the bot has answered there.</summary>
    private async Task SubscribeAsync(Store store, long group, ChatType type = ChatType.Group)
    {
        BotApi.SetChatMember(group, GroupAdmin, ChatMemberStatus.Administrator);
        BotApi.EnqueueUpdate(Text(Group(group, type), Person(GroupAdmin), "/subscribe"));
        await Until.TrueAsync(
            async () => BotApi.Messages.Any(m => m.Chat == Id(group)) && (await store.GetSubscriberAsync(group, CancellationToken.None))?.Active == true,
            $"group {group} to be subscribed",
            Patience);
    }

    /// <summary>Waits until the article reached the chat and the outbox holds nothing more, so that a second copy would have come by then.</summary>
    private async Task WaitForAsync(Store store, long chat, int article) =>
        await Until.TrueAsync(
            async () => ArticlesIn(Id(chat), BotApi.Messages).Contains(article)
                && (await store.CountDeliveriesAsync(CancellationToken.None)).GetValueOrDefault(DeliveryStates.Pending) == 0,
            $"analysis {article} to reach {chat}",
            Patience);

    private static async Task<long[]> ActiveSubscribersAsync(Store store, params long[] chats)
    {
        var active = new List<long>();
        foreach (var chat in chats)
        {
            if ((await store.GetSubscriberAsync(chat, CancellationToken.None))?.Active == true)
            {
                active.Add(chat);
            }
        }

        return [.. active];
    }

    private static string Id(long chat) => chat.ToString(CultureInfo.InvariantCulture);
}

public sealed class GroupMigrationTests_Sqlite() : GroupMigrationTests(Provider.Sqlite);

public sealed class GroupMigrationTests_Postgres() : GroupMigrationTests(Provider.Postgres);
