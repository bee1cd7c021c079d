using Atlas.Bot.Delivery;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Delivery;

public sealed class AdminAlertsTests : IAsyncLifetime, IDisposable
{
    private const long Admin = 111;
    private const long OtherAdmin = 222;
    private const string Reason = "HTTP 500 Internal Server Error";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    private readonly OutboxSignal _signal = new();
    private TempDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TempDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    public void Dispose() => _signal.Dispose();

    [Theory]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(10, 1)]
    public async Task A_feed_that_fails_five_polls_in_a_row_is_told_to_each_admin_once(int failures, int messagesEach)
    {
        using var alerts = Alerts();

        await FailAsync(alerts, "atlas-az", failures);

        var queued = await QueuedAsync();
        Assert.Equal(messagesEach, queued.Count(alert => alert.Chat == "111"));
        Assert.Equal(messagesEach, queued.Count(alert => alert.Chat == "222"));
        Assert.All(queued, alert => Assert.Contains($"<b>atlas-az</b> failed 5 polls in a row: {Reason}", alert.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_recovery_is_told_once_and_a_new_failure_streak_is_a_new_alert()
    {
        using var alerts = Alerts();

        await FailAsync(alerts, "atlas-az", 7);
        await SucceedAsync(alerts, "atlas-az");
        await SucceedAsync(alerts, "atlas-az");
        await FailAsync(alerts, "atlas-az", 5);

        var toAdmin = (await QueuedAsync()).Where(alert => alert.Chat == "111").ToList();
        Assert.Equal(["alert:feed:atlas-az:down:1:111", "alert:feed:atlas-az:up:1:111", "alert:feed:atlas-az:down:2:111"], toAdmin.Select(alert => alert.Key));
        Assert.Contains("<b>atlas-az</b> works again", toAdmin[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_while_a_feed_is_down_neither_repeats_the_alert_nor_forgets_the_recovery()
    {
        using (var before = Alerts())
        {
            await FailAsync(before, "atlas-az", 5);
        }

        using var after = Alerts();
        await after.FeedPolledAsync("atlas-az", succeeded: false, Reason, failuresInARow: 6, CancellationToken.None);
        await SucceedAsync(after, "atlas-az");

        Assert.Equal(["alert:feed:atlas-az:down:1:111", "alert:feed:atlas-az:up:1:111"], (await QueuedAsync()).Where(alert => alert.Chat == "111").Select(alert => alert.Key));
    }

    [Fact]
    public async Task Other_feeds_have_their_own_alerts()
    {
        using var alerts = Alerts();

        await FailAsync(alerts, "atlas-az", 5);
        await FailAsync(alerts, "atlas-en", 5);
        await SucceedAsync(alerts, "atlas-ru");

        Assert.Equal(["alert:feed:atlas-az:down:1:111", "alert:feed:atlas-en:down:1:111"], (await QueuedAsync()).Where(alert => alert.Chat == "111").Select(alert => alert.Key));
    }

    [Fact]
    public async Task A_channel_that_refuses_the_bot_is_told_once_and_once_more_when_the_bot_can_post_again()
    {
        using var alerts = Alerts();

        await alerts.ChannelSentAsync("@atlas_en", CancellationToken.None);
        await alerts.ChannelBlockedAsync("@atlas_en", "Forbidden: bot is not a member of the channel chat", CancellationToken.None);
        await alerts.ChannelBlockedAsync("@atlas_en", "Forbidden: bot is not a member of the channel chat", CancellationToken.None);
        await alerts.ChannelSentAsync("@atlas_en", CancellationToken.None);
        await alerts.ChannelSentAsync("@atlas_en", CancellationToken.None);

        var toAdmin = (await QueuedAsync()).Where(alert => alert.Chat == "111").ToList();
        Assert.Equal(["alert:channel:@atlas_en:down:1:111", "alert:channel:@atlas_en:up:1:111"], toAdmin.Select(alert => alert.Key));
        Assert.Contains("can no longer post to <b>@atlas_en</b>: Forbidden: bot is not a member of the channel chat.", toAdmin[0].Text, StringComparison.Ordinal);
        Assert.Contains("can post to <b>@atlas_en</b> again", toAdmin[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_forum_topic_is_told_once_apart_from_its_group_and_once_more_when_it_takes_posts_again()
    {
        using var alerts = Alerts();

        await alerts.TopicStoppedAsync("-1001234567890", 42, "Bad Request: TOPIC_CLOSED", CancellationToken.None);
        await alerts.TopicStoppedAsync("-1001234567890", 42, "Bad Request: TOPIC_CLOSED", CancellationToken.None);
        // Another topic of the same group, and the group itself, are other problems.
        await alerts.TopicSentAsync("-1001234567890", 43, CancellationToken.None);
        await alerts.ChannelSentAsync("-1001234567890", CancellationToken.None);
        await alerts.TopicSentAsync("-1001234567890", 42, CancellationToken.None);
        await alerts.TopicSentAsync("-1001234567890", 42, CancellationToken.None);

        var toAdmin = (await QueuedAsync()).Where(alert => alert.Chat == "111").ToList();
        Assert.Equal(["alert:topic:-1001234567890/42:down:1:111", "alert:topic:-1001234567890/42:up:1:111"], toAdmin.Select(alert => alert.Key));
        Assert.Contains("can no longer post to topic 42 of <b>-1001234567890</b>: Bad Request: TOPIC_CLOSED.", toAdmin[0].Text, StringComparison.Ordinal);
        Assert.Contains("can post to topic 42 of <b>-1001234567890</b> again", toAdmin[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flood_control_for_over_ten_minutes_is_told_once_and_once_more_when_a_send_gets_through()
    {
        using var alerts = Alerts();

        await alerts.RateLimitedAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(6));
        await alerts.RateLimitedAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Empty(await QueuedAsync());

        // No send completes while the dispatcher is held back: the periodic check notices.
        _time.Advance(TimeSpan.FromMinutes(5));
        await alerts.CheckRateLimitAsync(CancellationToken.None);
        await alerts.RateLimitedAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await alerts.SentAsync(CancellationToken.None);
        await alerts.SentAsync(CancellationToken.None);

        var toAdmin = (await QueuedAsync()).Where(alert => alert.Chat == "111").ToList();
        Assert.Equal(["alert:rate-limit:down:1:111", "alert:rate-limit:up:1:111"], toAdmin.Select(alert => alert.Key));
        Assert.Contains("for 11 minutes", toAdmin[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_send_that_gets_through_ends_the_429_streak_before_it_counts()
    {
        using var alerts = Alerts();

        await alerts.RateLimitedAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(9));
        await alerts.SentAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        await alerts.RateLimitedAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        await alerts.CheckRateLimitAsync(CancellationToken.None);

        Assert.Empty(await QueuedAsync());
    }

    [Fact]
    public async Task Without_admins_alerts_are_only_logged()
    {
        var logs = new CapturingLoggerProvider();
        using var alerts = Alerts(admins: [], logs);

        await FailAsync(alerts, "atlas-az", 5);
        await alerts.ChannelBlockedAsync("@atlas_en", "Forbidden: bot was kicked from the channel chat", CancellationToken.None);

        Assert.Empty(await QueuedAsync());
        Assert.Contains(logs.Messages, line => line.Contains("Feed atlas-az failed 5 polls in a row: HTTP 500 Internal Server Error", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, line => line.Contains("No admins configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Values_from_feeds_and_Telegram_are_escaped()
    {
        using var alerts = Alerts();

        await alerts.FeedPolledAsync("a<b>", succeeded: false, "HTTP 418 <teapot> & co", failuresInARow: 5, CancellationToken.None);

        var text = (await QueuedAsync())[0].Text;
        Assert.Contains("<b>a&lt;b&gt;</b>", text, StringComparison.Ordinal);
        Assert.Contains("HTTP 418 &lt;teapot&gt; &amp; co", text, StringComparison.Ordinal);
    }

    private AdminAlerts Alerts(long[]? admins = null, CapturingLoggerProvider? logs = null)
    {
        var telegram = new TelegramOptions { BotToken = "1:x", Admins = [.. admins ?? [Admin, OtherAdmin]] };
        var log = logs is null ? NullLogger<AdminAlerts>.Instance : new LoggerFactory([logs]).CreateLogger<AdminAlerts>();
        return new AdminAlerts(_db.Store, new Outbox(_db.Store), _signal, Options.Create(telegram), Options.Create(new AlertOptions()), _time, log);
    }

    private static async Task FailAsync(AdminAlerts alerts, string feedId, int times)
    {
        for (var failures = 1; failures <= times; failures++)
        {
            await alerts.FeedPolledAsync(feedId, succeeded: false, Reason, failures, CancellationToken.None);
        }
    }

    private static Task SucceedAsync(AdminAlerts alerts, string feedId) =>
        alerts.FeedPolledAsync(feedId, succeeded: true, reason: null, failuresInARow: 0, CancellationToken.None);

    /// <summary>Every alert in the outbox, in the order queued.</summary>
    private async Task<List<(string Key, string Chat, string Text)>> QueuedAsync()
    {
        await using var connection = new SqliteConnection(_db.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT m.key, d.chat, m.text FROM deliveries d JOIN messages m ON m.seq = d.message_seq WHERE d.target = 'reply' ORDER BY d.id";
        await using var reader = await command.ExecuteReaderAsync();
        var queued = new List<(string, string, string)>();
        while (await reader.ReadAsync())
        {
            queued.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return queued;
    }
}
