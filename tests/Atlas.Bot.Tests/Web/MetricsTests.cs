using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.RegularExpressions;
using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.EndToEnd;
using Atlas.Bot.Tests.Feeds.Fake;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Web;

/// <summary>/metrics served by the whole host after real polls and sends, read back as Prometheus text.</summary>
public abstract partial class MetricsTests(Provider provider) : HostTest(provider)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Polls_sends_429s_and_a_failing_feed_show_in_the_metrics_under_prometheus_names_with_no_chat_url_or_token()
    {
        Feeds.Publish("/en.xml", WordPressFeed.Rss(new Article(1), new Article(2)));
        Feeds.Respond("/ru.xml", System.Net.HttpStatusCode.InternalServerError);
        var sends = 0;
        BotApi.Fault = request => request.Method == "sendmessage" && Interlocked.Increment(ref sends) == 1 ? FakeReply.TooManyRequests(1) : null;

        await using var bot = await StartBotAsync(Settings());
        await BotApi.WaitForMessagesAsync(2, Patience);
        await WaitUntilAsync(async () => (await bot.Services.GetRequiredService<Store>().GetFeedStateAsync("ru", CancellationToken.None)).ConsecutiveFailures > 0);
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };
        // The Bot API double has a message the moment it arrives; the dispatcher counts it sent only after the database
        // records it so (on PostgreSQL a round trip later): read the metrics once both sends are counted.
        var body = "";
        IReadOnlyList<PrometheusSample> samples = [];
        await WaitUntilAsync(async () =>
        {
            body = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            samples = PrometheusText.Parse(body);
            return samples.Any(sample => sample.Name == "atlas_bot_deliveries_total" && sample.Has(("target", "channel"), ("result", "sent")) && sample.Value >= 2);
        });

        Assert.True(Value(samples, "atlas_bot_polls_total", ("feed", "en"), ("result", "new_items")) >= 1);
        Assert.True(Value(samples, "atlas_bot_polls_total", ("feed", "ru"), ("result", "failed"), ("reason", "http_5xx")) >= 1);
        Assert.Equal(2, Value(samples, "atlas_bot_items_found_total", ("feed", "en")));
        Assert.True(Value(samples, "atlas_bot_fetch_duration_seconds_count", ("feed", "en")) >= 1);
        Assert.Equal(["0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "+Inf"], Buckets(samples, "atlas_bot_fetch_duration_seconds_bucket", ("feed", "en")));
        Assert.Equal(2, Value(samples, "atlas_bot_deliveries_total", ("target", "channel"), ("result", "sent")));
        Assert.Equal(1, Value(samples, "atlas_bot_deliveries_total", ("target", "channel"), ("result", "retried")));
        Assert.Equal(1, Value(samples, "atlas_bot_telegram_429_total"));
        // That 429 lowered the pace by a tenth of the configured 30 a second; it climbs back only after ten quiet seconds.
        Assert.Equal(27, Value(samples, "atlas_bot_send_pace_per_second"));
        Assert.Equal(3, Value(samples, "atlas_bot_send_duration_seconds_count", ("target", "channel")));
        Assert.InRange(Value(samples, "atlas_bot_send_duration_seconds_sum", ("target", "channel")), 0, 30);
        Assert.Equal(0, Value(samples, "atlas_bot_opens_total"));
        Assert.Equal(0, Value(samples, "atlas_bot_subscribers", ("state", "active")));
        Assert.Equal(0, Value(samples, "atlas_bot_subscribers", ("state", "inactive")));

        Assert.All(samples, sample => Assert.Matches(MetricName(), sample.Name));
        Assert.All(samples.SelectMany(sample => sample.Labels.Where(label => label.Key != "le")), label =>
        {
            Assert.DoesNotContain("@", label.Value, StringComparison.Ordinal);
            Assert.DoesNotContain("://", label.Value, StringComparison.Ordinal);
            Assert.DoesNotMatch(DigitsOnly(), label.Value);
        });
        Assert.DoesNotContain(BotApi.Token, body, StringComparison.Ordinal);
        Assert.DoesNotContain(BotApi.Token.Split(':')[1], body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counters_with_known_labels_are_exported_at_zero_before_anything_happens()
    {
        await using var bot = await StartBotAsync(Settings());
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };

        var samples = PrometheusText.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        Assert.Equal(0, Value(samples, "atlas_bot_telegram_429_total"));
        Assert.Equal(0, Value(samples, "atlas_bot_deliveries_total", ("target", "subscriber"), ("result", "gave_up")));
        Assert.Equal(0, Value(samples, "atlas_bot_deliveries_total", ("target", "channel"), ("result", "blocked")));
        foreach (var reason in (string[])["crawler", "repeat", "limited", "refused"])
        {
            Assert.Equal(0, Value(samples, "atlas_bot_opens_uncounted_total", ("reason", reason)));
        }

        Assert.Equal(0, Value(samples, "atlas_bot_commands_over_budget_total", ("answer", "notice")));
        Assert.Equal(0, Value(samples, "atlas_bot_commands_over_budget_total", ("answer", "nothing")));

        // Every configured feed: each result, and failures of each reason category there is (a new one must be added here).
        var categories = typeof(Atlas.Bot.Feeds.FailureCategory).GetFields().Where(field => field.IsLiteral).Select(field => (string)field.GetRawConstantValue()!).ToList();
        Assert.Equal(7, categories.Count);
        foreach (var feed in new[] { "en", "ru" })
        {
            Assert.True(Value(samples, "atlas_bot_items_found_total", ("feed", feed)) >= 0);
            foreach (var result in new[] { "new_items", "no_new_items", "not_modified" })
            {
                Assert.True(Value(samples, "atlas_bot_polls_total", ("feed", feed), ("result", result)) >= 0);
            }

            Assert.All(categories, category => Assert.True(Value(samples, "atlas_bot_polls_total", ("feed", feed), ("result", "failed"), ("reason", category)) >= 0));
        }

        // Neither feed is that large nor that slow: these can only be the series exported at the start.
        Assert.Equal(0, Value(samples, "atlas_bot_polls_total", ("feed", "en"), ("result", "failed"), ("reason", "too_large")));
        Assert.Equal(0, Value(samples, "atlas_bot_polls_total", ("feed", "ru"), ("result", "failed"), ("reason", "timeout")));
    }

    [Fact]
    public async Task Metrics_show_the_outbox_depth_and_the_age_of_the_oldest_waiting_delivery_of_each_kind_of_target()
    {
        // Sending paused, so the posts stay in the outbox; the service's clock stands at a known instant.
        await using var database = await TempDatabase.CreateAsync(Provider);
        var now = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        var post = Post.Text("text");
        using (var signal = new OutboxSignal())
        {
            await new DeliverySwitch(database.Store, signal).SetPausedAsync(true, CancellationToken.None);
        }

        await database.Store.RecordItemAsync(new ItemRecord("en", "a", "A", null, null, null, "en"), post, ["@one", "@two"], now.AddSeconds(-90), CancellationToken.None);
        await database.Store.SubscribeAsync(1001, "private", null, "en", ["en"], now.AddSeconds(-60), CancellationToken.None);
        await database.Store.RecordItemAsync(new ItemRecord("en", "b", "B", null, null, null, "en"), post, [], now.AddSeconds(-40), CancellationToken.None);
        Feeds.Publish("/en.xml", WordPressFeed.Rss());
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = Provider.ToString(),
            ["Storage:ConnectionString"] = database.ConnectionString,
            ["Telegram:Updates"] = "Off",
            ["Feeds:0:Id"] = "en",
            ["Feeds:0:Url"] = Feeds.Url("/en.xml").ToString(),
            ["Feeds:0:Channels:0"] = "@atlas_en",
        };

        // On the database filled above (of this test's provider), not on the empty one StartBotAsync would give it.
        await using var bot = await BotHost.StartAsync(Folder.Path, BotApi, settings, time: new FakeTimeProvider(now));
        using var http = new HttpClient { BaseAddress = bot.BaseAddress };
        // The gauges are read from the database in the background, at the start and then every 15 s.
        IReadOnlyList<PrometheusSample> samples = [];
        await WaitUntilAsync(async () =>
        {
            samples = PrometheusText.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
            return samples.Any(sample => sample.Name == "atlas_bot_outbox_pending" && sample.Value > 0);
        });

        Assert.Equal(2, Value(samples, "atlas_bot_outbox_pending", ("target", "channel")));
        Assert.Equal(1, Value(samples, "atlas_bot_outbox_pending", ("target", "subscriber")));
        Assert.Equal(0, Value(samples, "atlas_bot_outbox_pending", ("target", "reply")));
        Assert.Equal(90, Value(samples, "atlas_bot_outbox_oldest_pending_age_seconds", ("target", "channel")));
        Assert.Equal(40, Value(samples, "atlas_bot_outbox_oldest_pending_age_seconds", ("target", "subscriber")));
        Assert.Equal(0, Value(samples, "atlas_bot_outbox_oldest_pending_age_seconds", ("target", "reply")));
        Assert.Equal(1, Value(samples, "atlas_bot_subscribers", ("state", "active")));
        Assert.Empty(BotApi.Messages);
    }

    [Fact]
    public async Task Outbox_depth_oldest_age_and_subscribers_come_from_the_database_read_in_the_background()
    {
        await using var database = await TempDatabase.CreateAsync(Provider);
        var now = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(now);
        var post = Post.Text("text");
        await database.Store.RecordItemAsync(new ItemRecord("en", "a", "A", null, null, null, "en"), post, ["@one", "@two"], now.AddSeconds(-90), CancellationToken.None);
        await database.Store.EnqueueReplyAsync("reply-1", "42", post, now.AddSeconds(-10), CancellationToken.None);
        await database.Store.SubscribeAsync(1001, "private", null, "en", ["en"], now, CancellationToken.None);
        await database.Store.SubscribeAsync(1002, "private", null, "en", ["en"], now, CancellationToken.None);
        await database.Store.DeactivateAsync(1002, "stopped", now, CancellationToken.None);
        using var meters = new TestMeterFactory();
        var metrics = new BotMetrics(meters, time);
        var gauges = new DatabaseGauges(database.Store, metrics, time, NullLogger<DatabaseGauges>.Instance);

        await gauges.RefreshAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        var observed = Observe(meters);

        Assert.Equal(2, observed[("atlas.bot.outbox.pending", "target", "channel")]);
        Assert.Equal(0, observed[("atlas.bot.outbox.pending", "target", "subscriber")]);
        Assert.Equal(1, observed[("atlas.bot.outbox.pending", "target", "reply")]);
        Assert.Equal(95, observed[("atlas.bot.outbox.oldest_pending_age", "target", "channel")]);
        Assert.Equal(0, observed[("atlas.bot.outbox.oldest_pending_age", "target", "subscriber")]);
        Assert.Equal(15, observed[("atlas.bot.outbox.oldest_pending_age", "target", "reply")]);
        Assert.Equal(1, observed[("atlas.bot.subscribers", "state", "active")]);
        Assert.Equal(1, observed[("atlas.bot.subscribers", "state", "inactive")]);
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Feeds:0:Id"] = "en",
        ["Feeds:0:Url"] = Feeds.Url("/en.xml").ToString(),
        ["Feeds:0:Language"] = "en",
        ["Feeds:0:Schedule"] = EveryTwoSeconds,
        ["Feeds:0:Backfill"] = "2",
        ["Feeds:0:Channels:0"] = "@atlas_en",
        ["Feeds:1:Id"] = "ru",
        ["Feeds:1:Url"] = Feeds.Url("/ru.xml").ToString(),
        ["Feeds:1:Language"] = "ru",
        ["Feeds:1:Schedule"] = EveryTwoSeconds,
        ["Feeds:1:Channels:0"] = "@atlas_ru",
    };

    private static double Value(IReadOnlyList<PrometheusSample> samples, string name, params (string, string)[] labels)
    {
        var matching = samples.Where(sample => sample.Name == name && sample.Has(labels)).ToList();
        Assert.True(matching.Count == 1, $"{name} {string.Join(",", labels)}: {matching.Count} series");
        return matching[0].Value;
    }

    private static List<string> Buckets(IReadOnlyList<PrometheusSample> samples, string name, params (string, string)[] labels) =>
        [.. samples.Where(sample => sample.Name == name && sample.Has(labels)).Select(sample => sample.Labels["le"])];

    /// <summary>What the bot's observable instruments report right now, by instrument and its one label.</summary>
    /// <remarks>Only the meters of <paramref name="meters"/>: hosts of other tests running meanwhile have their own "Atlas.Bot".</remarks>
    private static Dictionary<(string Instrument, string Label, string Value), double> Observe(TestMeterFactory meters)
    {
        var observed = new Dictionary<(string, string, string), double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (meters.Created.Contains(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                observed[(instrument.Name, tag.Key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture)!)] = value;
            }
        }

        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => Until.TrueAsync(condition, "the condition to come true", Patience);

    [GeneratedRegex("^[a-z_:][a-z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"^-?\d+$")]
    private static partial Regex DigitsOnly();
}

[Collection(ProcessWideMetrics.Name)]
public sealed class MetricsTests_Sqlite() : MetricsTests(Provider.Sqlite);

[Collection(ProcessWideMetrics.Name)]
public sealed class MetricsTests_Postgres() : MetricsTests(Provider.Postgres);
