using System.Net;
using System.Text;
using Atlas.Bot.Commands;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>Subscribers and commands through the whole host: updates in through getUpdates or the webhook, replies and posts out through the fake.</summary>
public abstract class SubscriberTests(Provider provider) : HostTest(provider)
{
    private const long Admin = 900;
    private const long Stranger = 901;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
        Feeds.Publish("/ru.xml", WordPressFeed.Rss(new Article(1)));
    }

    [Fact]
    public async Task A_new_analysis_reaches_its_channel_first_then_every_subscriber_of_its_language_exactly_once()
    {
        await using var bot = await StartAsync();
        BotApi.EnqueueMessage(201, "/start", "en");
        BotApi.EnqueueMessage(202, "/start", "ru");
        BotApi.EnqueueMessage(203, "/start", "en-GB");
        await BotApi.WaitForMessagesAsync(3, Patience);

        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2)));
        await BotApi.WaitForMessagesAsync(6, Patience);
        await Task.Delay(TimeSpan.FromSeconds(3));

        var post = BotApi.Messages.Where(m => (m.Text ?? "").Contains("Analysis 2:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["201", "203", "@atlas_en"], post.Select(m => m.Chat).Order(StringComparer.Ordinal));
        var channel = post.Single(m => m.Chat == "@atlas_en");
        Assert.All(post.Where(m => m != channel), m => Assert.True(m.At >= channel.At, "a subscriber got the post before the channel"));
        Assert.DoesNotContain(BotApi.Messages, m => m.Chat == "202" && (m.Text ?? "").Contains("Analysis", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subscriber_who_blocks_the_bot_is_dropped_at_once_and_a_new_start_brings_them_back()
    {
        await using var bot = await StartAsync();
        var store = bot.Services.GetRequiredService<Store>();
        BotApi.EnqueueMessage(201, "/start", "en");
        BotApi.EnqueueMessage(202, "/start", "en");
        await BotApi.WaitForMessagesAsync(2, Patience);

        BotApi.BlockChat("201");
        BotApi.EnqueueMessage(202, "/stop", "en");
        await BotApi.WaitForMessagesAsync(3, Patience);
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2)));
        await BotApi.WaitForMessagesAsync(4, Patience); // the channel only
        await WaitUntilAsync(async () => (await store.GetSubscriberAsync(201, CancellationToken.None))?.Active == false);

        BotApi.UnblockChat("201");
        BotApi.EnqueueMessage(201, "/start", "en");
        await BotApi.WaitForMessagesAsync(5, Patience);
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2), new Article(3)));
        await BotApi.WaitForMessagesAsync(7, Patience);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(["201", "@atlas_en"], ReceiversOf(3));
        Assert.Equal(["@atlas_en"], ReceiversOf(2));
        Assert.Equal((true, false, "stopped"), (
            (await store.GetSubscriberAsync(201, CancellationToken.None))!.Active,
            (await store.GetSubscriberAsync(202, CancellationToken.None))!.Active,
            (await store.GetSubscriberAsync(202, CancellationToken.None))!.LeftReason));
    }

    [Fact]
    public async Task Every_admin_command_answers_its_admin_and_politely_refuses_anyone_else()
    {
        string[] commands = ["/feeds", "/poll", "/pause", "/resume", $"/preview {Feeds.Url("/en.xml")}", "/channels", "/subscribers", "/broadcast Conference on Friday", "/failed", "/retry 12345", "/stats"];
        await using var bot = await StartAsync();

        foreach (var command in commands)
        {
            BotApi.EnqueueMessage(Stranger, command, "az");
            BotApi.EnqueueMessage(Admin, command, "en");
        }

        await WaitUntilAsync(() => Task.FromResult(To(Stranger).Count == commands.Length && To(Admin).Count >= commands.Length));
        var refusal = BotTexts.Get("az", "AdminOnly");
        Assert.All(To(Stranger), m => Assert.Equal(refusal, m.Text));
        Assert.DoesNotContain(To(Admin), m => m.Text == BotTexts.Get("en", "AdminOnly"));
        Assert.Equal(commands.Length, await CountAsync($"SELECT COUNT(*) FROM audit WHERE user_id = {Stranger} AND allowed = 0"));
        Assert.Equal(commands.Length, await CountAsync($"SELECT COUNT(*) FROM audit WHERE user_id = {Admin} AND allowed = 1"));
    }

    [Fact]
    public async Task Commands_arrive_through_the_webhook_only_with_the_right_secret()
    {
        var logs = new CapturingLoggerProvider();
        await using var bot = await StartAsync(logs, new()
        {
            ["Telegram:Updates"] = "Webhook",
            ["Telegram:WebhookUrl"] = "https://bot.atlas.test/telegram/hook",
            ["Telegram:WebhookSecret"] = "s3cret-hook_1",
        });
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };

        var wrong = await PostUpdateAsync(http, 301, "s3cret-hook_2");
        var missing = await PostUpdateAsync(http, 302, secret: null);
        var right = await PostUpdateAsync(http, 303, "s3cret-hook_1");
        await BotApi.WaitForMessagesAsync(1, Patience);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK), (wrong, missing, right));
        Assert.Equal(("https://bot.atlas.test/telegram/hook", "s3cret-hook_1"), (BotApi.WebhookUrl, BotApi.WebhookSecret));
        Assert.Equal("303", Assert.Single(BotApi.Messages).Chat);
        Assert.Contains(logs.Messages, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("webhook", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(logs.Messages, line => line.Contains("s3cret-hook", StringComparison.Ordinal) || line.Contains(BotApi.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_restart_in_the_middle_of_a_burst_of_commands_answers_each_exactly_once()
    {
        long[] users = [401, 402, 403, 404];
        foreach (var round in new[] { "/help", "/latest", "/help" })
        {
            foreach (var user in users)
            {
                BotApi.EnqueueMessage(user, round, "ru");
            }
        }

        await using (var bot = await StartAsync())
        {
            await BotApi.WaitForMessagesAsync(1, Patience);
        }

        var beforeRestart = BotApi.Messages.Count;
        await using (var bot = await StartAsync())
        {
            await BotApi.WaitForMessagesAsync(12, Patience);
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        Assert.InRange(beforeRestart, 1, 11);
        Assert.Equal(12, BotApi.Messages.Count);
        Assert.All(users, user => Assert.Equal(3, To(user).Count));
    }

    [Fact]
    public async Task A_flood_of_commands_from_one_person_gets_one_answer_and_one_notice()
    {
        await using var bot = await StartAsync(extra: new() { ["Commands:PerUserSeconds"] = "2" });

        for (var i = 0; i < 20; i++)
        {
            BotApi.EnqueueMessage(201, "/latest", "az");
        }

        await BotApi.WaitForMessagesAsync(2, Patience);
        await Until.TrueAsync(async () => await CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NOT NULL") == 20, "the flood to be handled", Patience);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(2, To(201).Count);
        Assert.Equal(BotTexts.Get("az", TextNames.TooManyRequests), To(201)[^1].Text);
    }

    private async Task<BotHost> StartAsync(CapturingLoggerProvider? logs = null, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Feeds:0:Id"] = "en",
            ["Feeds:0:Url"] = Feeds.Url("/en.xml").ToString(),
            ["Feeds:0:Language"] = "en",
            ["Feeds:0:Schedule"] = "0/2 * * * * ?",
            ["Feeds:0:Channels:0"] = "@atlas_en",
            ["Feeds:1:Id"] = "ru",
            ["Feeds:1:Url"] = Feeds.Url("/ru.xml").ToString(),
            ["Feeds:1:Language"] = "ru",
            ["Feeds:1:Schedule"] = "0/2 * * * * ?",
            ["Feeds:1:Channels:0"] = "@atlas_ru",
            ["Telegram:Admins:0"] = Admin.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // These tests send commands faster than people type; the budget has a test of its own below.
            ["Commands:PerUserSeconds"] = "0",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var bot = await StartBotAsync(settings, logs);
        var store = bot.Services.GetRequiredService<Store>();
        await WaitUntilAsync(async () => (await store.GetFeedStateAsync("en", CancellationToken.None)).Initialized
            && (await store.GetFeedStateAsync("ru", CancellationToken.None)).Initialized);
        return bot;
    }

    private static async Task<HttpStatusCode> PostUpdateAsync(HttpClient http, long user, string? secret)
    {
        var update = new Update
        {
            Id = (int)user,
            Message = new Message
            {
                Id = 1,
                Date = DateTime.UtcNow,
                Chat = new Chat { Id = user, Type = ChatType.Private },
                From = new User { Id = user, FirstName = "Webhook", LanguageCode = "en" },
                Text = "/help",
                Entities = [new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = 5 }],
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/hook")
        {
            Content = new StringContent(UpdateJson.ToInbox(update).Payload, Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private List<SentMessage> To(long chat) =>
        [.. BotApi.Messages.Where(m => m.Chat == chat.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private string[] ReceiversOf(int article) =>
        [.. BotApi.Messages.Where(m => (m.Text ?? m.Caption ?? "").Contains($"Analysis {article}:", StringComparison.Ordinal)).Select(m => m.Chat).Order(StringComparer.Ordinal)];

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Until.TrueAsync(condition, "the condition to come true", Patience);
}

public sealed class SubscriberTests_Sqlite() : SubscriberTests(Provider.Sqlite);

public sealed class SubscriberTests_Postgres() : SubscriberTests(Provider.Postgres);
