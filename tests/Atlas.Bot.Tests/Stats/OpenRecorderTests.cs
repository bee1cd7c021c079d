using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Atlas.Bot.Tests.Stats;

public sealed class OpenRecorderTests : DatabaseTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly OpenBuffer _buffer = new();

    [Fact]
    public async Task A_batch_the_database_refuses_is_kept_and_written_once_the_database_is_back()
    {
        // A database not yet migrated has no open_counts table: every write fails until it is.
        using var folder = new TempFolder();
        var store = new Store(Options.Create(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(folder.Path, "later.db")}" }));
        var logs = new CapturingLoggerProvider();
        var recorder = new OpenRecorder(_buffer, store, _time, new Logger<OpenRecorder>(new LoggerFactory([logs])));
        AddOpens(3);

        await recorder.StartAsync(CancellationToken.None);
        await Until.TrueAsync(() => logs.Messages.Any(line => line.Contains("[7005]", StringComparison.Ordinal)), "a failed write");
        AddOpens(2); // arriving while the database is down
        await store.MigrateAsync(CancellationToken.None);

        await Until.TrueAsync(async () =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return await CountAsync(store) == 5;
        }, "the kept opens to be written");
        await recorder.StopAsync(CancellationToken.None);
        Assert.Equal(5, await CountAsync(store));
    }

    [Fact]
    public async Task Opens_still_buffered_at_shutdown_are_written_before_it_ends()
    {
        var recorder = Recorder();
        await recorder.StartAsync(CancellationToken.None);
        AddOpens(1);
        await Until.TrueAsync(async () => await CountAsync(Store) == 1, "the first open to be written");

        // The recorder now waits out its interval, which the fake clock never ends: these stay buffered.
        AddOpens(4);
        await recorder.StopAsync(CancellationToken.None);

        Assert.Equal(5, await CountAsync(Store));
        Assert.False(_buffer.TryAdd(1, Now), "an open after shutdown is refused, not silently dropped");
    }

    [Fact]
    public async Task A_backlog_is_written_in_batches_back_to_back_without_waiting_for_the_interval()
    {
        AddOpens((OpenRecorder.BatchSize * 2) + 500);
        var recorder = Recorder();

        await recorder.StartAsync(CancellationToken.None);

        await Until.TrueAsync(async () => await CountAsync(Store) == (OpenRecorder.BatchSize * 2) + 500, "the whole backlog, with the clock standing still");
        await recorder.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Ten_thousand_opens_over_three_minutes_are_stored_as_one_row_per_analysis_and_minute()
    {
        // Two analyses, 5,000 opens each, from 09:00:00 to 09:02:59.964 (every 36 ms): three minutes.
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(_buffer.TryAdd(1 + (i % 2), Now.AddMilliseconds(18 * i)));
        }

        var recorder = Recorder();
        await recorder.StartAsync(CancellationToken.None);
        await Until.TrueAsync(async () => await CountAsync(Store) == 10_000, "every open to be written");
        await recorder.StopAsync(CancellationToken.None);

        Assert.Equal(6, await Database.CountAsync("SELECT COUNT(*) FROM open_counts"));
        Assert.Equal(3, await Database.CountAsync("SELECT MAX(rows) FROM (SELECT COUNT(*) AS rows FROM open_counts GROUP BY item_seq)"));
        Assert.Equal(
            [("1", 1667L), ("1", 1667L), ("1", 1666L), ("2", 1667L), ("2", 1666L), ("2", 1667L)],
            await OpensPerMinuteAsync());
    }

    private async Task<List<(string Item, long Opens)>> OpensPerMinuteAsync() =>
        [.. (await Database.ListAsync("SELECT item_seq || ' ' || opens FROM open_counts ORDER BY item_seq, minute"))
            .Select(row => row.Split(' ') is [var item, var opens] ? (item, long.Parse(opens, System.Globalization.CultureInfo.InvariantCulture)) : default)];

    private OpenRecorder Recorder() => new(_buffer, Store, _time, NullLogger<OpenRecorder>.Instance);

    private void AddOpens(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(_buffer.TryAdd(1, _time.GetUtcNow()));
        }
    }

    private static async Task<long> CountAsync(Store store) =>
        (await store.FiguresBetweenAsync(Now.AddDays(-1), Now.AddDays(1), itemSeq: null, CancellationToken.None)).Opens;
}
