using Atlas.Bot.Commands;
using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Feeds;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram.Fake;
using Quartz;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

public sealed class AdminCommandsTests : IAsyncLifetime
{
    private const long Admin = CommandHarness.Admin;
    private const long Stranger = 4001;
    private CommandHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await CommandHarness.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("/feeds")]
    [InlineData("/poll az")]
    [InlineData("/pause")]
    [InlineData("/resume")]
    [InlineData("/preview az")]
    [InlineData("/channels")]
    [InlineData("/subscribers")]
    [InlineData("/broadcast Hello everyone")]
    [InlineData("/failed")]
    [InlineData("/retry 1")]
    [InlineData("/stats")]
    public async Task Anyone_but_an_admin_is_refused_politely_and_the_attempt_is_logged_and_audited(string command)
    {
        await _bot.SendAsync(Text(Stranger, command, "az"));

        Assert.Equal(BotTexts.Get("az", TextNames.AdminOnly), Assert.Single(await _bot.RepliesAsync()).Text);
        Assert.Equal(1, await _bot.Database.CountAsync($"SELECT COUNT(*) FROM audit WHERE user_id = {Stranger} AND allowed = 0"));
        Assert.Contains(_bot.Logs.Messages, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains($"User {Stranger}", StringComparison.Ordinal));
        Assert.False(_bot.Get<DeliverySwitch>().Paused);
        Assert.Equal(0, await _bot.Database.CountAsync("SELECT COUNT(*) FROM messages WHERE kind = 'broadcast'"));
    }

    [Fact]
    public async Task Feeds_shows_each_feeds_state_in_Baku_time_and_the_next_run()
    {
        await _bot.Store.RecordPollFailureAsync("az", "HTTP 503 Service Unavailable", new DateTimeOffset(2026, 11, 28, 10, 5, 0, TimeSpan.Zero), _ => DateTimeOffset.UtcNow, default);
        await _bot.Store.RecordSeenItemsAsync([new ItemRecord("az", "k", "T", null, null, null, "az")], DateTimeOffset.UtcNow, default);

        await _bot.SendAsync(Text(Admin, "/feeds"));

        var reply = (await _bot.LastReplyAsync()).Text;
        Assert.Contains(BotTexts.Get("en", TextNames.FeedLine, "az", "az", "28.11.2026 14:05", "never", "HTTP 503 Service Unavailable", 1, "").TrimEnd(), reply, StringComparison.Ordinal);
        Assert.Matches(@"Next run: \d\d\.\d\d\.\d{4} \d\d:\d\d", reply);
        Assert.Equal(1, await _bot.Database.CountAsync($"SELECT COUNT(*) FROM audit WHERE user_id = {Admin} AND action = 'feeds' AND allowed = 1"));
    }

    [Fact]
    public async Task Feeds_shows_a_failed_WebSub_subscription_with_its_next_attempt_and_error()
    {
        await _bot.Store.SaveWebSubRequestAsync("az", "https://hub.example/", "https://atlas.az/feed", "token", "secret", WebSubState.Pending, DateTimeOffset.UtcNow, default);
        await _bot.Store.MarkWebSubFailedAsync("az", "the hub answered 503 Service Unavailable", _ => new DateTimeOffset(2026, 11, 28, 10, 6, 0, TimeSpan.Zero), default);

        await _bot.SendAsync(Text(Admin, "/feeds"));

        var reply = (await _bot.LastReplyAsync()).Text;
        Assert.Contains(BotTexts.Get("en", TextNames.WebSubFailed, "https://hub.example/", 1, "28.11.2026 14:06", "the hub answered 503 Service Unavailable"), reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_triggers_the_feeds_job_now_and_an_unknown_feed_gets_the_list()
    {
        var scheduler = await _bot.Get<ISchedulerFactory>().GetScheduler();
        var before = (await scheduler.GetTriggersOfJob(PollJob.KeyFor("ru"))).Count;

        await _bot.SendAsync(Text(Admin, "/poll ru"));
        await _bot.SendAsync(Text(Admin, "/poll nope"));

        Assert.Equal(before + 1, (await scheduler.GetTriggersOfJob(PollJob.KeyFor("ru"))).Count);
        var replies = await _bot.RepliesAsync();
        Assert.Equal(BotTexts.Get("en", TextNames.PollStarted, "ru"), replies[0].Text);
        Assert.Equal(BotTexts.Get("en", TextNames.PollUnknown, "nope", "az, en, ru"), replies[1].Text);
    }

    [Fact]
    public async Task Pause_holds_posts_in_the_outbox_while_replies_still_go_out_and_resume_releases_them()
    {
        await _bot.Store.RecordItemAsync(new ItemRecord("az", "k", "T", null, null, null, "az"), Post.Text("post"), ["@atlas_az"], DateTimeOffset.UtcNow, default);

        await _bot.SendAsync(Text(Admin, "/pause"));

        Assert.True(_bot.Get<DeliverySwitch>().Paused);
        Assert.Equal("1", await _bot.Store.GetStateAsync("paused", default));
        await _bot.StartSendingAsync();
        var sent = await _bot.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));
        Assert.Equal(BotTexts.Get("en", TextNames.Paused), Assert.Single(sent).Text);

        await _bot.SendAsync(Text(Admin, "/resume"));

        await _bot.Telegram.WaitForMessagesAsync(3, TimeSpan.FromSeconds(30));
        Assert.Contains(_bot.Telegram.Messages, message => message.Chat == "@atlas_az" && message.Text == "post");
        Assert.False(_bot.Get<DeliverySwitch>().Paused);
    }

    [Fact]
    public async Task Preview_sends_the_newest_item_to_the_admin_only_exactly_as_it_would_be_posted()
    {
        // The az feed's newest item (17 Nov, first in the file), through the real parser and formatter: in the
        // feed's language and zone, whatever the admin's own language.
        var file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "feeds", "wordpress-az.xml");
        var newest = FeedFixtures.Parsed("wordpress-az.xml", feedUrl: new Uri(file).AbsoluteUri).Items
            .Single(item => item.Title == "Cənubi Qafqazda sülh gündəliyi: Bakı ilə İrəvan arasında növbəti mərhələ");
        var post = PostFormatter.Format(newest, "az", FeedFixtures.Baku);
        // Its image is a root-relative path, which a feed read from a file cannot turn into a web address.
        Assert.Null(post.PhotoUrl);

        await _bot.SendAsync(Text(Admin, "/preview az", "ru"));
        await _bot.StartSendingAsync();

        var sent = Assert.Single(await _bot.Telegram.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(Admin, sent.ChatId);
        Assert.Equal((post.TextHtml, "Html", null, true), (sent.Text, sent.ParseMode, sent.Photo, sent.LinkPreviewDisabled));
        Assert.Equal([new SentButton(post.ButtonText!, post.ButtonUrl, null)], sent.Buttons);
        Assert.Equal(1, await _bot.Database.CountAsync("SELECT COUNT(*) FROM deliveries"));
    }

    [Theory]
    [InlineData("/preview", TextNames.PreviewUsage)]
    [InlineData("/preview /etc/passwd", TextNames.PreviewUsage)]
    [InlineData("/preview file:///etc/passwd", TextNames.PreviewUsage)]
    public async Task Preview_reads_only_configured_feeds_and_web_addresses(string command, string expected)
    {
        await _bot.SendAsync(Text(Admin, command));

        Assert.Equal(BotTexts.Get("en", expected), (await _bot.LastReplyAsync()).Text);
    }

    [Fact]
    public async Task Channels_lists_memberships_and_the_configured_channels_the_bot_cannot_post_to()
    {
        await _bot.Store.RecordMembershipAsync(new Membership("@atlas_az", "Atlas <AZ>", "channel", "administrator", true, DateTimeOffset.UtcNow), default);
        await _bot.Store.BlockChatAsync("@atlas_en", "Forbidden: bot was kicked", DateTimeOffset.UtcNow, default);

        await _bot.SendAsync(Text(Admin, "/channels"));

        var reply = (await _bot.LastReplyAsync()).Text;
        Assert.Contains(BotTexts.Get("en", TextNames.ChannelLine, "Atlas &lt;AZ&gt;", "channel", "administrator", "yes"), reply, StringComparison.Ordinal);
        Assert.Contains(BotTexts.Get("en", TextNames.ChannelBlocked, "@atlas_en", "Forbidden: bot was kicked"), reply, StringComparison.Ordinal);
        Assert.Contains(BotTexts.Get("en", TextNames.ChannelNoRight, "-1001234"), reply, StringComparison.Ordinal);
        Assert.DoesNotContain(BotTexts.Get("en", TextNames.ChannelNoRight, "@atlas_az"), reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribers_counts_by_language()
    {
        await _bot.SendAsync(Text(2001, "/start", "az"));
        await _bot.SendAsync(Text(2002, "/start", "az"));
        await _bot.SendAsync(Text(2002, "/stop", "az"));

        await _bot.SendAsync(Text(Admin, "/subscribers"));

        var reply = (await _bot.LastReplyAsync()).Text;
        Assert.Contains(BotTexts.Get("en", TextNames.SubscribersLine, "Azerbaijani", 1, 1, 2), reply, StringComparison.Ordinal);
        Assert.Contains(BotTexts.Get("en", TextNames.SubscribersLine, "Russian", 0, 0, 0), reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broadcast_goes_out_once_only_after_its_author_confirms()
    {
        await _bot.SendAsync(Text(2001, "/start"));
        await _bot.SendAsync(Text(2002, "/start", "ru"));
        await _bot.SendAsync(Text(Admin, "/broadcast Hello <everyone> & welcome"));
        var draft = await _bot.LastReplyAsync();
        Assert.Equal(BotTexts.Get("en", TextNames.BroadcastDraft, "Hello &lt;everyone&gt; &amp; welcome"), draft.Text);
        var confirm = draft.Keyboard![0][0].CallbackData!;

        await _bot.SendAsync(Callback(Stranger, 1, confirm));
        await _bot.SendAsync(Callback(CommandHarness.OtherAdmin, 1, confirm));
        Assert.Equal(0, await _bot.Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE target = 'subscriber'"));

        await _bot.SendAsync(Callback(Admin, 1, confirm));
        await _bot.SendAsync(Callback(Admin, 1, confirm));

        Assert.Equal(2, await _bot.Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE target = 'subscriber'"));
        Assert.Equal(
            [BotTexts.Get("en", TextNames.AdminOnly), BotTexts.Get("en", TextNames.BroadcastAlreadySent), BotTexts.Get("en", TextNames.BroadcastQueued, 2), BotTexts.Get("en", TextNames.BroadcastAlreadySent)],
            _bot.Telegram.CallbackAnswers.Select(answer => answer.Text));
        Assert.Equal(1, await _bot.Database.CountAsync($"SELECT COUNT(*) FROM audit WHERE action = 'broadcast-confirm' AND user_id = {Stranger} AND allowed = 0"));
    }

    [Fact]
    public async Task A_cancelled_broadcast_cannot_be_sent()
    {
        await _bot.SendAsync(Text(2001, "/start"));
        await _bot.SendAsync(Text(Admin, "/broadcast News"));
        var keyboard = (await _bot.LastReplyAsync()).Keyboard!;

        await _bot.SendAsync(Callback(Admin, 1, keyboard[1][0].CallbackData!));
        await _bot.SendAsync(Callback(Admin, 1, keyboard[0][0].CallbackData!));

        Assert.Equal(0, await _bot.Database.CountAsync("SELECT COUNT(*) FROM deliveries WHERE target = 'subscriber'"));
    }

    [Fact]
    public async Task An_empty_broadcast_gets_the_usage()
    {
        await _bot.SendAsync(Text(Admin, "/broadcast   "));

        Assert.Equal(BotTexts.Get("en", TextNames.BroadcastUsage), (await _bot.LastReplyAsync()).Text);
    }

    [Fact]
    public async Task Failed_lists_deliveries_that_gave_up_and_retry_queues_one_again()
    {
        await _bot.Store.EnqueueReplyAsync("x", "555", Post.Text("hi"), DateTimeOffset.UtcNow, default);
        var id = await _bot.Database.CountAsync("SELECT id FROM deliveries");
        await _bot.Store.GiveUpAsync(id, "Bad Request: chat not found", default);

        await _bot.SendAsync(Text(Admin, "/failed"));
        Assert.Contains(BotTexts.Get("en", TextNames.FailedLine, id, "555", "x", "Bad Request: chat not found"), (await _bot.LastReplyAsync()).Text, StringComparison.Ordinal);

        await _bot.SendAsync(Text(Admin, $"/retry {id}"));
        await _bot.SendAsync(Text(Admin, $"/retry {id}"));
        await _bot.SendAsync(Text(Admin, "/retry soon"));

        var replies = (await _bot.RepliesAsync()).TakeLast(3).Select(reply => reply.Text);
        Assert.Equal([BotTexts.Get("en", TextNames.RetryQueued, id), BotTexts.Get("en", TextNames.RetryUnknown, id), BotTexts.Get("en", TextNames.RetryUsage)], replies);
        Assert.Equal(1, await _bot.Database.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE id = {id} AND state = 'pending'"));
    }
}
