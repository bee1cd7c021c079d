using System.Globalization;
using Atlas.Bot.Posts;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Quartz;

namespace Atlas.Bot.Tests.Stats;

/// <summary>Counting by calendar day in Baku (and in Berlin across its clock changes), closing days, totals beyond 32 bits, and the channel audience.</summary>
public sealed class DailyFiguresTests : DatabaseTest
{
    private static readonly TimeZoneInfo Baku = TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

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

        var item = await Reader().ForItemAsync((await Store.FindTrackedItemByCodeOrLinkAsync("https://atlas.az/a", CancellationToken.None))!.Code, CancellationToken.None);
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
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM open_counts"));
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

    [Theory]
    // 29 March 2026 in Berlin (23 hours): 00:00 CET is 23:00 UTC the day before, 23:00 CEST is 21:00 UTC.
    [InlineData("2026-03-29", "2026-03-28T22:59:59.999Z", "2026-03-28T23:00:00Z", "2026-03-29T21:59:59.999Z", "2026-03-29T22:00:00Z")]
    // 25 October 2026 in Berlin (25 hours): 00:00 CEST is 22:00 UTC the day before, 23:00 CET is 22:00 UTC.
    [InlineData("2026-10-25", "2026-10-24T21:59:59.999Z", "2026-10-24T22:00:00Z", "2026-10-25T22:59:59.999Z", "2026-10-25T23:00:00Z")]
    public async Task Deliveries_and_opens_in_the_first_and_last_hour_of_a_day_with_a_clock_change_count_for_that_day(
        string date, string lastOfDayBefore, string firstOfDay, string lastOfDay, string firstOfDayAfter)
    {
        var day = DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var time = new FakeTimeProvider(Instant(lastOfDayBefore));
        var seq = await DistributeAsync("a");
        foreach (var moment in new[] { lastOfDayBefore, firstOfDay, lastOfDay, firstOfDayAfter }.Select(Instant))
        {
            time.SetUtcNow(moment);
            await SendAsync(seq, "@atlas_de", time);
            await Store.RecordOpensAsync([(seq, moment)], CancellationToken.None);
        }

        // Two days on, just after the close job's 00:05: the three days are over.
        time.SetUtcNow(Instant(firstOfDayAfter).AddDays(1).AddMinutes(5));
        var reader = Reader(Berlin, time);
        var live = await reader.RangeAsync(day.AddDays(-1), day.AddDays(1), CancellationToken.None);
        var closed = await Closer(Berlin, time).CloseFinishedDaysAsync(CancellationToken.None);
        var stored = await reader.RangeAsync(day.AddDays(-1), day.AddDays(1), CancellationToken.None);

        (string, long, long)[] expected = [(Key(day.AddDays(-1)), 1, 1), (Key(day), 2, 2), (Key(day.AddDays(1)), 1, 1)];
        Assert.Equal(expected, live.Select(d => (d.Day, d.Deliveries, d.Opens)));
        Assert.Equal(3, closed);
        Assert.Equal(live, stored);
    }

    [Theory]
    [InlineData("2026-03-29")]
    [InlineData("2026-10-25")]
    public async Task Across_a_clock_change_the_close_job_runs_once_a_night_and_closes_each_day_once(string date)
    {
        var change = DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        // Something to count from noon three days before, so that closing starts there.
        var time = new FakeTimeProvider(TimeZoneInfo.ConvertTimeToUtc(change.AddDays(-3).ToDateTime(new TimeOnly(12, 0)), Berlin));
        await SendAsync(await DistributeAsync("a"), "@atlas_de", time);
        // The close job's trigger as the service builds it: its schedule, in the stats zone.
        var schedule = TriggerBuilder.Create().WithSchedule(CronScheduleBuilder.Create(CloseDayJob.Schedule).InTimeZone(Berlin)).StartAt(time.GetUtcNow()).Build();
        var closer = Closer(Berlin, time);

        var runs = new List<(string At, int Closed, string? LastClosed)>();
        var until = time.GetUtcNow().AddDays(6);
        for (var next = schedule.GetFireTimeAfter(time.GetUtcNow()); next < until; next = schedule.GetFireTimeAfter(next))
        {
            time.SetUtcNow(next!.Value);
            var closed = await closer.CloseFinishedDaysAsync(CancellationToken.None);
            runs.Add((Local(next.Value), closed, await Store.LastClosedDayAsync(CancellationToken.None)));
        }

        // The nights from two before the change to three after it: each at 00:05 local time, each closing the day before.
        var expected = Enumerable.Range(-2, 6).Select(offset => change.AddDays(offset))
            .Select(night => (Key(night) + " 00:05", 1, (string?)Key(night.AddDays(-1))));
        Assert.Equal(expected, runs);
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

    private static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(string utc) => DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>An instant as a clock in Berlin shows it.</summary>
    private static string Local(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Berlin).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private StatsReader Reader(TimeZoneInfo? zone = null, TimeProvider? time = null) => new(Store, new StatsDays(zone ?? Baku), time ?? _time);

    private DayCloser Closer(TimeZoneInfo? zone = null, TimeProvider? time = null) =>
        new(Store, new StatsDays(zone ?? Baku), Options.Create(new StatsOptions { RetentionDays = 90 }), time ?? _time, NullLogger<DayCloser>.Instance);

    private async Task<long> DistributeAsync(string key)
    {
        var item = new ItemRecord("atlas-az", key, "Analysis " + key, "https://atlas.az/" + key, _time.GetUtcNow(), null, "az");
        await Store.RecordItemAsync(item, new Post("text", ButtonText: "Oxu", ButtonUrl: item.Link), [], _time.GetUtcNow(), CancellationToken.None);
        return (await Store.FindTrackedItemByCodeOrLinkAsync(item.Link!, CancellationToken.None))!.ItemSeq;
    }

    /// <summary>A delivery of the item to the chat, confirmed by Telegram now (by <paramref name="time"/>, else the test's clock).</summary>
    private async Task SendAsync(long itemSeq, string chat, TimeProvider? time = null)
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
        command.Parameters.AddWithValue("$now", (time ?? _time).GetUtcNow().ToUnixTimeMilliseconds());
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
