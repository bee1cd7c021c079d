using Atlas.Bot.Cli;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using static Atlas.Bot.Tests.EndToEnd.WordPressFeed;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>The whole host: feed server → poll → outbox → dispatcher → real Telegram.Bot client → fake Bot API.</summary>
public abstract class PipelineTests(Provider provider) : HostTest(provider)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task New_analyses_reach_every_channel_oldest_first_and_after_a_restart_only_the_newer_one_arrives()
    {
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2)));
        var settings = Settings(backfill: 0, "@atlas_en", "@atlas_en_mirror");

        await using (var bot = await StartBotAsync(settings))
        {
            // The first poll only records what is already published.
            await WaitUntilAsync(async () => (await bot.Services.GetRequiredService<Store>().GetFeedStateAsync("en", CancellationToken.None)).Initialized);
            Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2), new Article(3), new Article(4)));

            // How soon a post follows its publication is a figure for the load harness (latency), not a claim here.
            var all = await BotApi.WaitForMessagesAsync(4, Patience);

            Assert.Equal([3, 4], ArticlesIn("@atlas_en", all));
            Assert.Equal([3, 4], ArticlesIn("@atlas_en_mirror", all));
        }

        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2), new Article(3), new Article(4), new Article(5)));
        await using (var bot = await StartBotAsync(settings))
        {
            await BotApi.WaitForMessagesAsync(6, Patience);
            await Task.Delay(TimeSpan.FromSeconds(3)); // a further poll: nothing more may come

            Assert.Equal(6, BotApi.Messages.Count);
            Assert.Equal([3, 4, 5], ArticlesIn("@atlas_en", BotApi.Messages));
            Assert.Equal([3, 4, 5], ArticlesIn("@atlas_en_mirror", BotApi.Messages));
        }
    }

    [Fact]
    public async Task Every_post_arrives_exactly_once_in_every_other_channel_despite_429s_and_a_channel_that_refuses_the_bot()
    {
        var sends = 0;
        BotApi.Fault = request => request.Method is "sendmessage" or "sendphoto" && Interlocked.Increment(ref sends) % 2 == 0
            ? FakeReply.TooManyRequests(1)
            : null;
        BotApi.BlockChat("@atlas_refuses", "Forbidden: bot is not a member of the channel chat");
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2), new Article(3), new Article(4), new Article(5)));
        var logs = new CapturingLoggerProvider();

        await using (var bot = await StartBotAsync(Settings(backfill: 3, "@atlas_one", "@atlas_refuses", "@atlas_two"), logs))
        {
            await BotApi.WaitForMessagesAsync(6, Patience);
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        Assert.Equal(6, BotApi.Messages.Count);
        Assert.Equal([3, 4, 5], ArticlesIn("@atlas_one", BotApi.Messages));
        Assert.Equal([3, 4, 5], ArticlesIn("@atlas_two", BotApi.Messages));
        Assert.Contains(logs.Messages, line => line.Contains("Stopped sending to @atlas_refuses", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, line => line.Contains("retrying after 1 s", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, line => line.Contains(BotApi.Token, StringComparison.Ordinal) || line.Contains(BotApi.Token.Split(':')[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_photo_Telegram_cannot_fetch_is_posted_as_text_with_the_link_preview()
    {
        const string image = "https://atlas.az/wp-content/uploads/2026/11/gone.jpg";
        BotApi.MakePhotoUnfetchable(image);
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1, image)));

        await using (var bot = await StartBotAsync(Settings(backfill: 1, "@atlas_en")))
        {
            await BotApi.WaitForMessagesAsync(1, Patience);
        }

        var message = Assert.Single(BotApi.Messages);
        Assert.Null(message.Photo);
        Assert.NotEqual(true, message.LinkPreviewDisabled);
        Assert.Contains("<b>Analysis 1:", message.Text, StringComparison.Ordinal);
        Assert.Equal("https://atlas.az/en/analysis-1/", Assert.Single(message.Buttons).Url);
    }

    [Fact]
    public async Task A_post_with_an_image_goes_out_as_a_photo_with_the_post_as_its_caption_and_a_Read_button()
    {
        const string image = "https://atlas.az/wp-content/uploads/2026/11/map.jpg";
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1, image)));

        await using (var bot = await StartBotAsync(Settings(backfill: 1, "@atlas_en")))
        {
            await BotApi.WaitForMessagesAsync(1, Patience);
        }

        var message = Assert.Single(BotApi.Messages);
        Assert.Equal(image, message.Photo);
        Assert.StartsWith("<b>Analysis 1: the South Caucasus after the peace treaty</b>", message.Caption, StringComparison.Ordinal);
        Assert.Contains("Summary of analysis 1 &amp; its context today.", message.Caption, StringComparison.Ordinal);
        Assert.Equal(("Read", "https://atlas.az/en/analysis-1/"), (message.Buttons.Single().Text, message.Buttons.Single().Url));
    }

    [Fact]
    public async Task The_service_answers_its_health_check_while_it_runs()
    {
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1)));

        await using var bot = await StartBotAsync(Settings(backfill: 0, "@atlas_en"));

        Assert.Equal(0, await HealthcheckVerb.RunAsync(new Invocation(Verb.Healthcheck, Target: new Uri(bot.BaseAddress, "/healthz").ToString()), TextWriter.Null, CancellationToken.None));
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Until.TrueAsync(condition, "the condition to come true", Patience);
}

public sealed class PipelineTests_Sqlite() : PipelineTests(Provider.Sqlite);

public sealed class PipelineTests_Postgres() : PipelineTests(Provider.Postgres);
