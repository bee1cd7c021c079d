using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Delivery;

public sealed class DispatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Where the fake clock starts: whole milliseconds, as the outbox stores times.</summary>
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private TempDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TempDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Every_delivery_is_sent_once_in_order_and_marked_with_Telegrams_message_id()
    {
        var sender = new ScriptedSender();
        await QueueAsync("a", "@one", "-100200");
        await QueueAsync("b", "@one", "-100200");

        await RunUntilAsync(sender, () => sender.Delivered.Count == 4);

        Assert.Equal(["a", "b"], sender.Delivered.Where(d => d.Chat == "@one").Select(d => d.Message.Post.TextHtml));
        Assert.Equal(4, await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'sent' AND message_id > 0"));
    }

    [Fact]
    public Task A_429_waits_at_least_retry_after_then_the_post_is_resent_and_the_429_is_no_attempt() =>
        ResentOnlyOnceWaitedAsync(
            new SendResult.RetryAfter(TimeSpan.FromSeconds(30)), TimeSpan.FromSeconds(30), recorded: "attempts = 0 AND last_error LIKE '429%'", attemptsOnceSent: 1);

    [Fact]
    public Task After_a_network_failure_the_post_is_resent_once_its_backoff_has_passed_not_before() =>
        ResentOnlyOnceWaitedAsync(
            new SendResult.Failed("connection reset"), Dispatcher.Backoff(0), recorded: "attempts = 1 AND last_error = 'connection reset'", attemptsOnceSent: 2);

    [Fact]
    public async Task A_delivery_that_keeps_failing_is_tried_MaxAttempts_times_then_given_up_with_the_reason()
    {
        var time = new FakeTimeProvider(Start);
        var sender = new ScriptedSender((chat, _, _) => chat == "@one" ? new SendResult.Failed("connection reset") : new SendResult.Sent(0));
        await QueueAsync("a", "@one", at: time.GetUtcNow());
        await using var dispatcher = await StartAsync(sender, time, new DeliveryOptions { MaxAttempts = 3 });

        await WaitForDeliveryAsync("@one", "state = 'pending' AND attempts = 1");
        await LookAtAsync(dispatcher, time, sender, Dispatcher.Backoff(0));
        await WaitForDeliveryAsync("@one", "state = 'pending' AND attempts = 2");
        await LookAtAsync(dispatcher, time, sender, Dispatcher.Backoff(1));
        await WaitForDeliveryAsync("@one", "state = 'failed'");
        // Long past any backoff: a delivery that gave up is not tried again.
        await LookAtAsync(dispatcher, time, sender, TimeSpan.FromDays(1), nothingElseDue: true);

        Assert.Equal(3, sender.Attempts.Count(a => a.Chat == "@one"));
        var failed = Assert.Single(await _db.Store.FailedDeliveriesAsync(20, CancellationToken.None));
        Assert.Equal(("@one", "a", "connection reset", 3), (failed.Chat, failed.Title, failed.Error, failed.Attempts));
    }

    [Fact]
    public async Task A_confirmed_send_that_cannot_be_recorded_at_first_is_recorded_later_and_never_sent_again()
    {
        var failing = false;
        var sender = new ScriptedSender((_, _, _) =>
        {
            // The database refuses to record it, as a full disk would, just as Telegram confirms the send.
            failing = true;
            return new SendResult.Sent(0);
        });
        await _db.CountAsync("CREATE TRIGGER refuse_sent BEFORE UPDATE OF state ON deliveries WHEN NEW.state = 'sent' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END; SELECT 0;");
        await QueueAsync("a", "@one");
        using var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));
        await using var dispatcher = await RunningDispatcher.StartAsync(_db.Store, sender, TimeProvider.System, new DeliveryOptions { LeaseSeconds = 5 }, paused: false, trackingBase: null, loggers.CreateLogger<Dispatcher>());
        await Until.TrueAsync(() => failing, "the send", Patience);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await _db.CountAsync("DROP TRIGGER refuse_sent; SELECT 0;");

        await Until.TrueAsync(async () => await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'sent'") == 1, "the send to be recorded", Patience);
        // Past the lease: a send left to the lease would have gone out again by now.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Single(sender.Attempts);
        Assert.Contains(logs.Messages, line => line.Contains("was sent but could not be recorded; trying again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chat_that_blocked_the_bot_gets_nothing_more_while_the_others_get_everything()
    {
        var sender = new ScriptedSender((chat, _, _) => chat == "@gone" ? new SendResult.Blocked("Forbidden: bot was kicked from the channel chat") : new SendResult.Sent(0));
        await QueueAsync("a", "@gone", "@fine");
        await QueueAsync("b", "@gone", "@fine");

        await RunUntilAsync(sender, () => sender.Delivered.Count == 2);

        Assert.Single(sender.Attempts, a => a.Chat == "@gone");
        Assert.Equal(2, await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE chat = '@gone' AND state = 'parked'"));
    }

    [Fact]
    public async Task A_group_that_became_a_supergroup_gets_the_post_at_its_new_id()
    {
        var sender = new ScriptedSender((chat, _, _) => chat == "-200" ? new SendResult.ChatMigrated(-1009999) : new SendResult.Sent(0));
        await QueueAsync("a", "-200");

        await RunUntilAsync(sender, () => sender.Delivered.Count == 1);

        Assert.Equal("-1009999", sender.Delivered.Single().Chat);
    }

    [Fact]
    public async Task A_post_into_a_forum_topic_goes_with_its_thread_and_a_silent_feeds_post_without_a_sound()
    {
        var sender = new ScriptedSender();
        await QueueAsync("a", "-100200/42", photo: "https://atlas.az/map.jpg", silent: true);
        await QueueAsync("b", "@one");

        await RunUntilAsync(sender, () => sender.Delivered.Count == 2);

        var (chat, topicPost) = sender.Delivered.Single(d => d.Message.ThreadId is not null);
        Assert.Equal(("-100200", 42, true, "https://atlas.az/map.jpg"), (chat, topicPost.ThreadId, topicPost.Silent, topicPost.Post.PhotoUrl));
        var loud = sender.Delivered.Single(d => d.Chat == "@one").Message;
        Assert.Equal(((int?)null, false), (loud.ThreadId, loud.Silent));
    }

    [Fact]
    public async Task A_topic_Telegram_no_longer_has_stops_alone_after_one_attempt_and_is_told_once_while_the_groups_other_topic_gets_every_post()
    {
        var sender = new ScriptedSender((chat, message, _) => message.ThreadId == 42
            ? new SendResult.Rejected(RejectKind.Topic, "Bad Request: message thread not found")
            : new SendResult.Sent(0));
        await QueueAsync("a", "-100200/42", "-100200/43");
        await QueueAsync("b", "-100200/42", "-100200/43");

        await RunUntilAsync(sender, () => sender.Delivered.Count == 2, settle: TimeSpan.FromMilliseconds(300));
        await QueueAsync("c", "-100200/42", "-100200/43");
        await RunUntilAsync(sender, () => sender.Delivered.Count == 3, settle: TimeSpan.FromMilliseconds(300));

        Assert.Equal(["a", "b", "c"], sender.Delivered.Select(d => d.Message.Post.TextHtml));
        Assert.All(sender.Delivered, d => Assert.Equal(43, d.Message.ThreadId));
        Assert.Single(sender.Attempts, a => a.Message.ThreadId == 42);
        Assert.Equal(3, await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE thread_id = 42 AND state = 'parked'"));
        Assert.Equal(0, await _db.CountAsync("SELECT COUNT(*) FROM chats WHERE blocked_at IS NOT NULL"));
        Assert.Equal("down:1", await _db.Store.GetStateAsync("alert:topic:-100200/42", CancellationToken.None));
    }

    [Fact]
    public async Task Topics_of_one_group_share_the_groups_messages_a_minute()
    {
        var time = new FakeTimeProvider(Start);
        var sender = new ScriptedSender();
        await QueueAsync("a", "-100200/42", "-100200/43", at: time.GetUtcNow());
        await QueueAsync("b", "-100200/42", at: time.GetUtcNow());
        var limits = new RateLimits { GlobalPerSecond = 1000, PerChatPerSecond = 100, GroupPerMinute = 2 };
        await using var dispatcher = await RunningDispatcher.StartAsync(_db.Store, sender, time, new DeliveryOptions { LeaseSeconds = 600 }, paused: false, trackingBase: null, rateLimits: limits);

        // The fake clock moves in steps of a tenth of a second: for 55 s the group, whatever the topic, gets two messages.
        await RunClockAsync(time, TimeSpan.FromSeconds(55));
        Assert.Equal(2, sender.Delivered.Count);

        await RunClockAsync(time, TimeSpan.FromSeconds(10));
        Assert.Equal([42, 43, 42], sender.Delivered.Select(d => d.Message.ThreadId));
    }

    [Fact]
    public async Task A_topic_refusal_for_a_chat_with_no_topic_is_a_rejection_like_any_other()
    {
        var sender = new ScriptedSender((_, _, _) => new SendResult.Rejected(RejectKind.Topic, "Bad Request: TOPIC_CLOSED"));
        await QueueAsync("a", "-100200");

        await RunUntilAsync(sender, () => sender.Attempts.Count == 1, settle: TimeSpan.FromMilliseconds(300));

        Assert.Equal(1, await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'failed' AND last_error = 'Bad Request: TOPIC_CLOSED'"));
    }

    [Fact]
    public async Task Rejected_formatting_is_resent_as_plain_text()
    {
        var sender = new ScriptedSender((_, message, _) => message.Form != PostForm.Plain ? new SendResult.Rejected(RejectKind.Formatting, "Bad Request: can't parse entities") : new SendResult.Sent(0));
        await QueueAsync("a &amp; <b>b</b>", "@one");

        await RunUntilAsync(sender, () => sender.Delivered.Count == 1);

        Assert.Equal(PostForm.Plain, sender.Delivered.Single().Message.Form);
    }

    [Fact]
    public async Task A_photo_Telegram_cannot_fetch_is_replaced_by_the_text_with_its_link_preview()
    {
        var sender = new ScriptedSender((_, message, _) => message is { Form: PostForm.Formatted, Post.PhotoUrl: not null } ? new SendResult.Rejected(RejectKind.Photo, "Bad Request: wrong file identifier/HTTP URL specified") : new SendResult.Sent(0));
        await QueueAsync("a", "@one", photo: "https://atlas.az/missing.jpg");

        await RunUntilAsync(sender, () => sender.Delivered.Count == 1);

        var message = sender.Delivered.Single().Message;
        Assert.Equal((PostForm.TextWithPreview, "full a"), (message.Form, message.Post.TextHtml));
    }

    [Fact]
    public async Task A_delivery_Telegram_rejects_for_good_gives_up_at_once_with_the_reason()
    {
        var sender = new ScriptedSender((_, _, _) => new SendResult.Rejected(RejectKind.Other, "Bad Request: message thread not found"));
        await QueueAsync("a", "@one");

        await RunUntilAsync(sender, () => sender.Attempts.Count == 1, settle: TimeSpan.FromMilliseconds(300));

        Assert.Equal(1, await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'failed' AND last_error LIKE '%thread not found'"));
    }

    [Fact]
    public async Task A_subscriber_who_blocked_the_bot_is_unsubscribed_after_one_attempt_and_their_other_posts_dropped()
    {
        var sender = new ScriptedSender((chat, _, _) => chat == "101" ? new SendResult.Blocked("Forbidden: bot was blocked by the user") : new SendResult.Sent(0));
        await _db.Store.SubscribeAsync(101, "private", null, "en", ["en"], DateTimeOffset.UtcNow, CancellationToken.None);
        await _db.Store.SubscribeAsync(102, "private", null, "en", ["en"], DateTimeOffset.UtcNow, CancellationToken.None);
        await QueueAsync("a", "@one");
        await QueueAsync("b", "@one");

        await RunUntilAsync(sender, () => sender.Delivered.Count(d => d.Chat == "102") == 2);

        Assert.Single(sender.Attempts, a => a.Chat == "101");
        Assert.Equal(0, await _db.CountAsync("SELECT active FROM subscribers WHERE chat_id = 101"));
        // The refused post and the one still waiting: neither will ever be sent, both are counted.
        Assert.Equal(2, await _db.CountAsync("SELECT dropped FROM subscribers WHERE chat_id = 101"));
        Assert.Equal(2, await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE chat = '101' AND state = 'dropped'"));
    }

    [Fact]
    public async Task While_sending_is_paused_posts_wait_and_replies_still_go_out()
    {
        var sender = new ScriptedSender();
        await QueueAsync("post", "@one");
        await _db.Store.EnqueueReplyAsync("update:1:0", "42", Post.Text("reply"), DateTimeOffset.UtcNow, CancellationToken.None);

        await RunUntilAsync(sender, () => sender.Delivered.Count == 1, paused: true);

        Assert.Equal(["reply"], sender.Delivered.Select(d => d.Message.Post.TextHtml));
        Assert.Equal(1, await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE state = 'pending'"));
    }

    [Fact]
    public async Task With_tracking_on_the_Read_button_leads_through_the_bots_counting_redirect()
    {
        var sender = new ScriptedSender();
        await QueueAsync("a", "@one");

        await RunUntilAsync(sender, () => sender.Delivered.Count == 1, trackingBase: "https://bot.atlas.az/");

        var button = sender.Delivered.Single().Message.Post.ButtonUrl!;
        Assert.Matches(@"^https://bot\.atlas\.az/r/[0-9A-Za-z]{10}$", button);
        Assert.Equal(1, await _db.CountAsync($"SELECT COUNT(*) FROM links WHERE code = '{button[^10..]}'"));
    }

    [Fact]
    public async Task Without_tracking_the_Read_button_leads_straight_to_the_article()
    {
        var sender = new ScriptedSender();
        await QueueAsync("a", "@one");

        await RunUntilAsync(sender, () => sender.Delivered.Count == 1);

        Assert.Equal("https://atlas.az/", sender.Delivered.Single().Message.Post.ButtonUrl);
    }

    [Fact]
    public async Task More_new_analyses_than_the_threshold_for_one_subscriber_go_out_as_one_digest()
    {
        var sender = new ScriptedSender();
        await _db.Store.SubscribeAsync(101, "private", null, "en", ["en"], DateTimeOffset.UtcNow, CancellationToken.None);
        foreach (var article in new[] { "a", "b", "c", "d", "e", "f", "g" })
        {
            await QueueAsync(article, "@one");
        }

        await RunUntilAsync(sender, () => sender.Delivered.Count(d => d.Chat == "@one") == 7 && sender.Delivered.Any(d => d.Chat == "101"), settle: TimeSpan.FromMilliseconds(500));

        var digest = Assert.Single(sender.Delivered, d => d.Chat == "101").Message;
        Assert.StartsWith("<b>7 new analyses</b>", digest.Post.TextHtml, StringComparison.Ordinal);
        Assert.Equal(7, await _db.CountAsync("SELECT COUNT(*) FROM deliveries WHERE chat = '101' AND state = 'sent' AND message_id = (SELECT MAX(message_id) FROM deliveries WHERE chat = '101')"));
    }

    [Fact]
    public async Task Up_to_the_threshold_each_analysis_is_its_own_post_in_publication_order()
    {
        var sender = new ScriptedSender();
        await _db.Store.SubscribeAsync(101, "private", null, "en", ["en"], DateTimeOffset.UtcNow, CancellationToken.None);
        foreach (var article in new[] { "a", "b", "c", "d", "e" })
        {
            await QueueAsync(article, "@one");
        }

        await RunUntilAsync(sender, () => sender.Delivered.Count(d => d.Chat == "101") == 5);

        Assert.Equal(["a", "b", "c", "d", "e"], sender.Delivered.Where(d => d.Chat == "101").Select(d => d.Message.Post.TextHtml));
    }

    [Fact]
    public async Task With_paid_broadcasts_allowed_every_send_asks_for_them()
    {
        var sender = new ScriptedSender();
        await QueueAsync("a", "@one");

        await RunUntilAsync(sender, () => sender.Delivered.Count == 1, paidBroadcast: true);

        Assert.True(sender.Delivered.Single().Message.AllowPaidBroadcast);
    }

    [Theory]
    [InlineData(30, null, 32)]
    [InlineData(300, null, 150)]
    [InlineData(1000, null, 500)]
    [InlineData(1000, 64, 64)]
    public void Sends_in_flight_scale_with_the_global_rate_unless_set(int globalPerSecond, int? configured, int expected)
    {
        Assert.Equal(expected, new DeliveryOptions { MaxInFlight = configured }.InFlightFor(globalPerSecond));
    }

    /// <summary>
    /// The first send of a post answers <paramref name="first"/>; then, on the fake clock, the post is not sent again a
    /// millisecond before <paramref name="wait"/> has passed, and is sent (once) when it has.
    /// </summary>
    private async Task ResentOnlyOnceWaitedAsync(SendResult first, TimeSpan wait, string recorded, int attemptsOnceSent)
    {
        var time = new FakeTimeProvider(Start);
        var sender = new ScriptedSender((chat, _, attempt) => chat == "@one" && attempt == 1 ? first : new SendResult.Sent(0));
        await QueueAsync("a", "@one", at: time.GetUtcNow());
        await using var dispatcher = await StartAsync(sender, time, new DeliveryOptions());
        await WaitForDeliveryAsync("@one", $"state = 'pending' AND {recorded}");

        await LookAtAsync(dispatcher, time, sender, wait - TimeSpan.FromMilliseconds(1), nothingElseDue: true);
        var justBefore = sender.Attempts.Count(a => a.Chat == "@one");
        await LookAtAsync(dispatcher, time, sender, TimeSpan.FromMilliseconds(1));

        await WaitForDeliveryAsync("@one", $"state = 'sent' AND attempts = {attemptsOnceSent}");
        Assert.Equal((1, 2), (justBefore, sender.Attempts.Count(a => a.Chat == "@one")));
    }

    /// <summary>
    /// Moves the fake clock on by <paramref name="by"/> and makes the dispatcher look at the outbox at that instant. A probe
    /// post queued then for another chat is claimed in that look together with everything else due, and started after it
    /// (the outbox hands out the oldest first): once the probe has been sent, a send that was due is no longer to come.
    /// With <paramref name="nothingElseDue"/> the probe is the only send due, so it goes without the clock moving on: the
    /// test waits for it however slow the machine, and a send that was not due stays not due.
    /// </summary>
    private async Task LookAtAsync(RunningDispatcher dispatcher, FakeTimeProvider time, ScriptedSender sender, TimeSpan by, bool nothingElseDue = false)
    {
        time.Advance(by);
        var probe = $"probe at {time.GetUtcNow():O}";
        await QueueAsync(probe, "@probe", at: time.GetUtcNow());
        dispatcher.Notify();
        if (nothingElseDue)
        {
            await Until.TrueAsync(() => sender.Delivered.Any(d => d.Message.Post.TextHtml == probe), "the probe post to be sent", Patience);
            return;
        }

        var deadline = DateTime.UtcNow + Patience;
        while (!await Until.TrueWithinAsync(() => sender.Delivered.Any(d => d.Message.Post.TextHtml == probe), TimeSpan.FromMilliseconds(200)))
        {
            // The governor spaces sends evenly (1 ms apart at these tests' 1000/s): a probe behind a send that was due at
            // this instant goes one interval later. Only then does the clock move on, so nothing due later is sent early.
            Assert.True(DateTime.UtcNow < deadline, "the probe post was not sent");
            time.Advance(TimeSpan.FromMilliseconds(1));
            dispatcher.Notify();
        }
    }

    /// <summary>Moves the fake clock on by <paramref name="total"/> a tenth of a second at a time, letting the dispatcher act at each step.</summary>
    private static async Task RunClockAsync(FakeTimeProvider time, TimeSpan total)
    {
        for (var moved = TimeSpan.Zero; moved < total; moved += TimeSpan.FromMilliseconds(100))
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(2);
        }

        // The last step's sends and records settle.
        await Task.Delay(200);
    }

    /// <summary>Waits until the dispatcher has recorded what the test expects of the chat's delivery (a WHERE condition).</summary>
    private Task WaitForDeliveryAsync(string chat, string condition) =>
        Until.TrueAsync(
            async () => await _db.CountAsync($"SELECT COUNT(*) FROM deliveries WHERE chat = '{chat}' AND lease_until IS NULL AND {condition}") == 1,
            $"the delivery to {chat} to be {condition}",
            Patience);

    private async Task QueueAsync(string text, string chat, string? otherChat = null, string? photo = null, DateTimeOffset? at = null, bool silent = false)
    {
        var now = at ?? DateTimeOffset.UtcNow;
        var item = new ItemRecord("feed", text, text, "https://atlas.az/" + text.GetHashCode(StringComparison.Ordinal), now, null, "en");
        var post = photo is null ? new Post(text, ButtonText: "Read", ButtonUrl: "https://atlas.az/") : new Post("full " + text, PhotoUrl: photo, CaptionHtml: text, ButtonText: "Read", ButtonUrl: "https://atlas.az/");
        await _db.Store.RecordItemAsync(item, post, otherChat is null ? [chat] : [chat, otherChat], now, CancellationToken.None, silent);
    }

    private async Task RunUntilAsync(ScriptedSender sender, Func<bool> done, TimeSpan? settle = null, bool paused = false, string? trackingBase = null, bool paidBroadcast = false)
    {
        await using var running = await StartAsync(sender, TimeProvider.System, new DeliveryOptions { AllowPaidBroadcast = paidBroadcast }, paused, trackingBase);
        var deadline = DateTime.UtcNow + Patience;
        while (!done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        // Let the dispatcher record the last result (and show that nothing more is sent).
        await Task.Delay(settle ?? TimeSpan.FromMilliseconds(200));
        Assert.True(done(), "the dispatcher did not get there in time");
    }

    private Task<RunningDispatcher> StartAsync(ScriptedSender sender, TimeProvider time, DeliveryOptions options, bool paused = false, string? trackingBase = null) =>
        RunningDispatcher.StartAsync(_db.Store, sender, time, options, paused, trackingBase);

    /// <summary>A dispatcher over a test's database, running until disposed, with pacing generous enough never to be what a test sees.</summary>
    private sealed class RunningDispatcher : IAsyncDisposable
    {
        private readonly OutboxSignal _signal = new();
        private readonly TestMeterFactory _meters = new();
        private readonly RateGovernor _governor;
        private readonly AdminAlerts _alerts;
        private readonly DeliverySwitch _switch;
        private readonly Dispatcher _dispatcher;

        private RunningDispatcher(Store store, ITelegramSender sender, TimeProvider time, DeliveryOptions options, string? trackingBase, ILogger<Dispatcher>? log = null, RateLimits? rateLimits = null)
        {
            var limits = Options.Create(rateLimits ?? new RateLimits { GlobalPerSecond = 1000, PerChatPerSecond = 100, GroupPerMinute = 1000 });
            _governor = new RateGovernor(limits, time);
            _alerts = new AdminAlerts(store, new Outbox(store), _signal, Options.Create(new TelegramOptions()), Options.Create(new AlertOptions()), time, NullLogger<AdminAlerts>.Instance);
            _switch = new DeliverySwitch(store, _signal);
            var tracking = Options.Create(new TrackingOptions { PublicBaseUrl = trackingBase });
            var metrics = new BotMetrics(_meters, time);
            // The lease runs on the real clock: these tests skip the dispatcher's clock ahead by minutes, which a lease
            // would read as renewals missed (Leadership has tests of its own).
            var leadership = new Leadership(store, ReplicaIdentity.ForThisProcess(), metrics, TimeProvider.System, NullLogger<Leadership>.Instance);
            _dispatcher = new Dispatcher(store, new Outbox(store), sender, _governor, _signal, _switch, metrics, _alerts, leadership, Options.Create(options), limits, tracking, new StatsDays(TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku")), time, log ?? NullLogger<Dispatcher>.Instance);
        }

        public static async Task<RunningDispatcher> StartAsync(
            Store store, ITelegramSender sender, TimeProvider time, DeliveryOptions options, bool paused, string? trackingBase, ILogger<Dispatcher>? log = null, RateLimits? rateLimits = null)
        {
            var running = new RunningDispatcher(store, sender, time, options, trackingBase, log, rateLimits);
            await running._switch.SetPausedAsync(paused, CancellationToken.None);
            await running._dispatcher.StartAsync(CancellationToken.None);
            return running;
        }

        /// <summary>New work in the outbox, as the poller and the commands tell it.</summary>
        public void Notify() => _signal.Notify();

        public async ValueTask DisposeAsync()
        {
            await _dispatcher.StopAsync(CancellationToken.None);
            _dispatcher.Dispose();
            _alerts.Dispose();
            _governor.Dispose();
            _meters.Dispose();
            _signal.Dispose();
        }
    }
}
