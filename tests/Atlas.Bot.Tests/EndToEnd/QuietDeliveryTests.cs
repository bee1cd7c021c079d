using System.Globalization;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>
/// Quiet hours through the whole host: set with /quiet, judged by the dispatcher as each post goes out. The host runs
/// on the real clock (its timers do too: a FakeTimeProvider would stop them), so each span is chosen around the real
/// hour in Baku: "inside" covers two hours either side of now, "outside" is the rest of the day, and a test taking
/// minutes never meets an hour boundary that matters.
/// </summary>
public abstract class QuietDeliveryTests(Provider provider) : HostTest(provider)
{
    private const long Quiet = 201;
    private const long Loud = 202;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The span from two hours before the current hour in Baku to three hours after its start.</summary>
    private static string Inside => Span(-2, 3);

    /// <summary>Every hour <see cref="Inside"/> leaves out.</summary>
    private static string Outside => Span(3, -2);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));
    }

    [Fact]
    public async Task A_subscriber_inside_their_quiet_hours_gets_the_post_at_once_and_silently_and_one_outside_them_normally()
    {
        await using var bot = await StartAsync();
        BotApi.EnqueueMessage(Quiet, "/start", "en");
        BotApi.EnqueueMessage(Loud, "/start", "en");
        BotApi.EnqueueMessage(Quiet, "/quiet " + Inside, "en");
        BotApi.EnqueueMessage(Loud, "/quiet " + Outside, "en");
        await BotApi.WaitForMessagesAsync(4, Patience);
        var store = bot.Services.GetRequiredService<Store>();
        Assert.NotNull(await store.QuietHoursAsync(Quiet, CancellationToken.None));
        Assert.NotNull(await store.QuietHoursAsync(Loud, CancellationToken.None));

        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2)));
        await BotApi.WaitForMessagesAsync(7, Patience);

        var channel = Post(2, "@atlas_en");
        var quiet = Post(2, Quiet);
        var loud = Post(2, Loud);
        Assert.Equal((false, true, false), (channel.DisableNotification, quiet.DisableNotification, loud.DisableNotification));
        // At once: the quiet subscriber's copy is not held back for the end of their quiet hours.
        Assert.InRange(quiet.At - channel.At, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        // Answers to commands are never silent, inside quiet hours too.
        Assert.All(BotApi.Messages.Where(m => !IsPost(m)), m => Assert.False(m.DisableNotification, m.Text));
    }

    [Fact]
    public async Task A_digest_to_a_subscriber_inside_their_quiet_hours_is_silent()
    {
        await using var bot = await StartAsync(digestThreshold: 1);
        BotApi.EnqueueMessage(Quiet, "/start", "en");
        BotApi.EnqueueMessage(Quiet, "/quiet " + Inside, "en");
        await BotApi.WaitForMessagesAsync(2, Patience);

        // Two new analyses at once, more than the threshold of one: one digest.
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2), new Article(3)));
        await Until.TrueAsync(() => BotApi.Messages.Any(m => m.Chat == Key(Quiet) && IsPost(m)), "the digest to arrive", Patience);

        var digest = Assert.Single(BotApi.Messages, m => m.Chat == Key(Quiet) && IsPost(m));
        Assert.Contains("Analysis 2:", digest.Text, StringComparison.Ordinal);
        Assert.Contains("Analysis 3:", digest.Text, StringComparison.Ordinal);
        Assert.True(digest.DisableNotification, "the digest buzzed inside quiet hours");
    }

    private async Task<BotHost> StartAsync(int digestThreshold = 5)
    {
        var settings = Settings(backfill: 0, "@atlas_en");
        // Two commands in a row from one person: the reply budget has tests of its own.
        settings["Commands:PerUserSeconds"] = "0";
        settings["Delivery:DigestThreshold"] = digestThreshold.ToString(CultureInfo.InvariantCulture);
        var bot = await StartBotAsync(settings);
        var store = bot.Services.GetRequiredService<Store>();
        await Until.TrueAsync(async () => (await store.GetFeedStateAsync("en", CancellationToken.None)).Initialized, "the first poll", Patience);
        return bot;
    }

    private SentMessage Post(int article, object chat) =>
        Assert.Single(BotApi.Messages, m => m.Chat == Key(chat) && (m.Text ?? m.Caption ?? "").Contains($"Analysis {article}:", StringComparison.Ordinal));

    private static bool IsPost(SentMessage message) => (message.Text ?? message.Caption ?? "").Contains("Analysis ", StringComparison.Ordinal);

    private static string Key(object chat) => Convert.ToString(chat, CultureInfo.InvariantCulture)!;

    /// <summary>"21-2" for hours <paramref name="from"/> and <paramref name="to"/> relative to the current hour in Baku.</summary>
    private static string Span(int from, int to)
    {
        var hour = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku")).Hour;
        return $"{(hour + from + 24) % 24}-{(hour + to + 24) % 24}";
    }
}

public sealed class QuietDeliveryTests_Sqlite() : QuietDeliveryTests(Provider.Sqlite);

public sealed class QuietDeliveryTests_Postgres() : QuietDeliveryTests(Provider.Postgres);
