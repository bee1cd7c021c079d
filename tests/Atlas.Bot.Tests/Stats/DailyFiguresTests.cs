using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace Atlas.Bot.Tests.Stats;

/// <summary>Counting by calendar day in Baku, closing days, totals beyond 32 bits, and the channel audience.</summary>
public sealed class DailyFiguresTests : DatabaseTest
{
    private static readonly TimeZoneInfo Baku = TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku");

    // 23:30 in Baku on 27 November is 19:30 UTC: half an hour before the day turns.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 19, 30, 0, TimeSpan.Zero));

    [Fact]
    public void A_day_in_Baku_starts_at_20_00_UTC_the_evening_before()
    {
        var day = new StatsDays(Baku).DayOf(new DateTimeOffset(2026, 11, 27, 20, 0, 0, TimeSpan.Zero));

        Assert.Equal(("2026-11-28", new DateTimeOffset(2026, 11, 27, 20, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 28, 20, 0, 0, TimeSpan.Zero)),
            (day.Key, day.StartUtc, day.EndUtc));
    }

    [Fact]
    public async Task A_post_sent_before_Baku_midnight_counts_for_that_day_and_one_after_for_the_next()
    {
        var seq = await DistributeAsync("a");
        await SendAsync(seq, "@atlas_az");                         // 23:30 Baku, 27 Nov
        _time.Advance(TimeSpan.FromMinutes(45));                   // 00:15 Baku, 28 Nov
        await SendAsync(seq, "101");
        await Store.RecordOpensAsync([(seq, _time.GetUtcNow())], CancellationToken.None);

        var reader = Reader();
        var before = await reader.RangeAsync(new DateOnly(2026, 11, 27), new DateOnly(2026, 11, 28), CancellationToken.None);
        var closed = await Closer().CloseFinishedDaysAsync(CancellationToken.None);
        var after = await reader.RangeAsync(new DateOnly(2026, 11, 27), new DateOnly(2026, 11, 28), CancellationToken.None);
        var overall = await reader.OverallAsync(CancellationToken.None);

        Assert.Equal([(1L, 0L), (1L, 1L)], before.Select(d => (d.Deliveries, d.Opens)));
        Assert.Equal(1, closed);
        Assert.Equal(before, after);
        Assert.Equal((new Figures(1, 1), new Figures(2, 1)), (overall.Today, overall.Total));
        Assert.Equal(1, await Database.CountAsync("SELECT deliveries FROM daily_counts WHERE day = '2026-11-27' AND kind = 'channel' AND language = 'az'"));
    }

    [Fact]
    public async Task Totals_beyond_two_to_the_31_stay_exact()
    {
        var seq = await DistributeAsync("a");
        await InsertClosedDayAsync("2026-01-01", seq, deliveries: 2_584_343_203, opens: 3_000_000_000);
        await SendAsync(seq, "@atlas_az");

        var item = await Reader().ForItemAsync((await Store.FindTrackedItemAsync("https://atlas.az/a", CancellationToken.None))!.Code, CancellationToken.None);
        var overall = await Reader().OverallAsync(CancellationToken.None);

        Assert.Equal(new Figures(2_584_343_204, 3_000_000_000), item!.Total);
        Assert.Equal(new Figures(2_584_343_204, 3_000_000_000), overall.Total);
    }

    [Fact]
    public async Task Days_missed_while_the_bot_was_down_are_closed_at_the_next_start_and_old_opens_pruned()
    {
        var seq = await DistributeAsync("a");
        await SendAsync(seq, "@atlas_az");
        await Store.RecordOpensAsync([(seq, _time.GetUtcNow())], CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(100));

        var closed = await Closer().CloseFinishedDaysAsync(CancellationToken.None);
        var again = await Closer().CloseFinishedDaysAsync(CancellationToken.None);

        Assert.Equal((100, 0), (closed, again));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM open_events"));
        Assert.Equal(1, await Database.CountAsync("SELECT opens FROM daily_summary WHERE day = '2026-11-27'"));
        Assert.Equal(new Figures(1, 1), (await Reader().OverallAsync(CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Joins_and_leaves_are_counted_on_their_day()
    {
        await Store.SubscribeAsync(101, "private", null, "az", ["az"], _time.GetUtcNow(), CancellationToken.None);
        await Store.SubscribeAsync(102, "private", null, "az", ["az"], _time.GetUtcNow(), CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        await Store.DeactivateAsync(101, "stopped", _time.GetUtcNow(), CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(1));

        await Closer().CloseFinishedDaysAsync(CancellationToken.None);
        var days = await Store.DailySummariesAsync("2026-11-27", "2026-11-28", CancellationToken.None);

        Assert.Equal([("2026-11-27", 2L, 2L, 0L), ("2026-11-28", 1L, 0L, 1L)], days.Select(d => (d.Day, d.SubscribersActive, d.SubscribersJoined, d.SubscribersLeft)));
    }

    [Fact]
    public async Task The_daily_audience_sample_records_each_channels_member_count()
    {
        await using var telegram = await FakeBotApi.StartAsync();
        telegram.SetMemberCount("@atlas_az", 12_345);
        var feeds = Options.Create(new Atlas.Bot.Feeds.FeedsOptions { Feeds = [new() { Id = "az", Url = "x.xml", Language = "az", Channels = ["@atlas_az"] }] });
        var job = new AudienceJob(telegram.CreateClient(), Store, feeds, new StatsDays(Baku), _time, NullLogger<AudienceJob>.Instance);

        await job.Execute(null!, CancellationToken.None);

        Assert.Equal(12_345, await Database.CountAsync("SELECT members FROM audience WHERE day = '2026-11-27' AND chat = '@atlas_az'"));
    }

    private StatsReader Reader() => new(Store, new StatsDays(Baku), _time);

    private DayCloser Closer() => new(Store, new StatsDays(Baku), Options.Create(new StatsOptions { RetentionDays = 90 }), _time, NullLogger<DayCloser>.Instance);

    private async Task<long> DistributeAsync(string key)
    {
        var item = new ItemRecord("atlas-az", key, "Analysis " + key, "https://atlas.az/" + key, _time.GetUtcNow(), null, "az");
        await Store.RecordItemAsync(item, new StoredPost("text", null, null, "Oxu", item.Link), [], _time.GetUtcNow(), CancellationToken.None);
        return (await Store.FindTrackedItemAsync(item.Link!, CancellationToken.None))!.ItemSeq;
    }

    /// <summary>A delivery of the item to the chat, confirmed by Telegram now.</summary>
    private async Task SendAsync(long itemSeq, string chat)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO deliveries (item_seq, chat, target, priority, state, not_before, created_at, sent_at, message_id)
            VALUES ($seq, $chat, CASE WHEN $chat LIKE '@%' THEN 'channel' ELSE 'subscriber' END, 1, 'sent', $now, $now, $now, 1);
            """;
        command.Parameters.AddWithValue("$seq", itemSeq);
        command.Parameters.AddWithValue("$chat", chat);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync();
    }

    private async Task InsertClosedDayAsync(string day, long itemSeq, long deliveries, long opens)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO daily_counts (day, item_seq, kind, language, deliveries, opens) VALUES ($day, $seq, 'channel', 'az', $deliveries, $opens);
            INSERT INTO daily_summary (day, deliveries, opens, subscribers_active, subscribers_joined, subscribers_left, closed_at) VALUES ($day, $deliveries, $opens, 0, 0, 0, 0);
            """;
        command.Parameters.AddWithValue("$day", day);
        command.Parameters.AddWithValue("$seq", itemSeq);
        command.Parameters.AddWithValue("$deliveries", deliveries);
        command.Parameters.AddWithValue("$opens", opens);
        await command.ExecuteNonQueryAsync();
    }
}
