using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Load;

/// <summary>
/// The retention scenario: days of a busy bot on a simulated clock, straight through the Store as the poller, the
/// dispatcher and the update processor use it (no Telegram): each day's analyses reach every subscriber and the
/// channel and are confirmed sent, commands are answered and audited, and at night the day closer, the inbox prune and
/// retention run as scheduled. After each day: the database file's size and the rows per table. With retention the
/// file stops growing once the first KeepDays have passed: SQLite reuses the pages deleted rows leave free.
/// </summary>
internal static class RetentionLoad
{
    private const string Channel = "@atlas_load";
    private const long FirstChat = 100_000_001;
    private static readonly TimeZoneInfo Baku = TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku");
    private static readonly DateOnly FirstDay = new(2026, 1, 1);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly string[] Tables = ["deliveries", "messages", "audit", "inbox", "items", "daily_counts"];

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("atlas-bot-retention-").FullName;
        try
        {
            return await SimulateAsync(options, Path.Combine(folder, "atlas-bot.db"), output, ct);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> SimulateAsync(LoadOptions options, string database, TextWriter output, CancellationToken ct)
    {
        var clock = new SimulatedClock(new StatsDays(Baku).Day(FirstDay).StartUtc);
        var storage = Options.Create(new StorageOptions { ConnectionString = $"Data Source={database}", KeepDays = options.KeepDays });
        var store = new Store(storage);
        await store.MigrateAsync(ct);
        var days = new StatsDays(Baku);
        var closer = new DayCloser(store, days, Options.Create(new StatsOptions()), clock, NullLogger<DayCloser>.Instance);
        using var meters = new NoMeters();
        var retention = new Retention(store, days, storage, new BotMetrics(meters, clock), clock, NullLogger<Retention>.Instance);
        var traffic = new Traffic(store, options);
        await traffic.SubscribeAsync(clock.GetUtcNow(), ct);

        var write = new FigureWriter(output);
        write.Line("scenario", $"retention: {options.Days} simulated days, Storage__KeepDays {options.KeepDays}; each day {options.Items} analyses to {options.Subscribers} subscribers and 1 channel, {options.Updates} commands answered (1 in 10 audited), all through the Store; SQLite file in /tmp, WAL checkpointed (TRUNCATE) before each measure");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"day",4} {"db MB",8} {"wal MB",7} {"free pg",8} {"deliveries",11} {"messages",9} {"audit",7} {"inbox",7} {"items",6} {"pruned d/m/a",22} {"prune ms",9}"));
        var sizes = new List<long>();
        for (var number = 1; number <= options.Days; number++)
        {
            var day = days.Day(FirstDay.AddDays(number - 1));
            // As scheduled: the day closer at 00:05, retention at 03:30 (the inbox prune runs hourly; once a day here).
            clock.Now = day.StartUtc.AddMinutes(5);
            await closer.CloseFinishedDaysAsync(ct);
            clock.Now = day.StartUtc.AddHours(3.5);
            await store.PruneInboxAsync(clock.GetUtcNow().AddDays(-7), ct);
            var pruning = Stopwatch.StartNew();
            var pruned = await retention.PruneAsync(ct);
            var pruneMs = pruning.ElapsedMilliseconds;

            clock.Now = day.StartUtc.AddHours(10);
            await traffic.PublishAsync(number, clock.GetUtcNow(), ct);
            clock.Now = day.StartUtc.AddHours(14);
            await traffic.AnswerCommandsAsync(clock.GetUtcNow(), ct);

            var figures = await MeasureAsync(database, ct);
            sizes.Add(figures.DatabaseBytes);
            var rows = figures.Rows;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{number,4} {Megabytes(figures.DatabaseBytes),8:F2} {Megabytes(figures.WalBytes),7:F2} {figures.FreePages,8} {rows["deliveries"],11} {rows["messages"],9} {rows["audit"],7} {rows["inbox"],7} {rows["items"],6} {$"{pruned.Deliveries}/{pruned.Messages}/{pruned.Audit}",22} {pruneMs,9}"));
        }

        return Summarize(options, sizes, write);
    }

    /// <summary>
    /// The file holds at most KeepDays + 1 days of rows (retention at 03:30 deletes what is older than KeepDays), so it
    /// reaches its level at the end of day KeepDays + 1. After that only what is kept for ever by design still grows (the
    /// items, their links, the daily figures): flat means that, over the second half of the days after the level, it
    /// grows by less than a tenth of what a day adds without retention.
    /// </summary>
    private static int Summarize(LoadOptions options, List<long> sizes, FigureWriter write)
    {
        var keep = options.KeepDays;
        if (sizes.Count < keep + 5)
        {
            write.Line("verdict", $"too few days to see a steady state: run at least --days {keep + 5} for --keep-days {keep}");
            write.Line("reproduce", $"{options.Command}");
            return 1;
        }

        var level = sizes[keep];
        var after = sizes.Skip(keep + 1).ToList();
        var perDay = (double)(sizes[keep] - sizes[0]) / keep;
        var settled = sizes.Count - 1 - (keep + sizes.Count) / 2;
        var steadyPerDay = (double)(sizes[^1] - sizes[^(settled + 1)]) / settled;
        var flat = steadyPerDay < perDay * 0.1;
        write.Line("level", $"{Megabytes(level):F2} MB at the end of day {keep + 1}; days {keep + 2} to {sizes.Count}: {Megabytes(after.Min()):F2} to {Megabytes(after.Max()):F2} MB");
        write.Line("per day", $"{Megabytes(perDay):F2} MB a day while nothing is old enough to delete (days 1 to {keep + 1})");
        write.Line("steady growth", $"{steadyPerDay / 1024:F1} KB a day over the last {settled} days ({steadyPerDay / perDay:P1} of a day's rows): the items, links and daily figures kept for ever");
        write.Line("verdict", $"{(flat ? "flat" : "STILL GROWING")} after day {keep + 1}");
        write.Line("projection", $"with the default Storage__KeepDays 180 and this traffic the file levels off near {Megabytes(sizes[0] + perDay * 180):F0} MB after 181 days");
        write.Line("reproduce", $"{options.Command}");
        return flat ? 0 : 1;
    }

    private static double Megabytes(double bytes) => bytes / (1024 * 1024);

    private sealed record Figures(long DatabaseBytes, long WalBytes, long FreePages, IReadOnlyDictionary<string, long> Rows);

    private static async Task<Figures> MeasureAsync(string database, CancellationToken ct)
    {
        var wal = new FileInfo(database + "-wal");
        var walBytes = wal.Exists ? wal.Length : 0;
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync(ct);
        // The bot checkpoints every 1000 pages on its own; a full checkpoint here makes the main file hold every row.
        await ScalarAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE);", ct);
        var freePages = await ScalarAsync(connection, "PRAGMA freelist_count;", ct);
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in Tables)
        {
            rows[table] = await ScalarAsync(connection, $"SELECT COUNT(*) FROM {table};", ct);
        }

        return new Figures(new FileInfo(database).Length, walBytes, freePages, rows);
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>What a day brings, written as the bot's own parts write it.</summary>
    private sealed class Traffic(Store store, LoadOptions options)
    {
        private static readonly string Body = string.Concat(Enumerable.Repeat("An analysis of the region's politics, economy and security. ", 10));
        private long _nextUpdate = 1;
        private int _nextMessageId = 1;

        public async Task SubscribeAsync(DateTimeOffset now, CancellationToken ct)
        {
            for (var i = 0; i < options.Subscribers; i++)
            {
                await store.SubscribeAsync(FirstChat + i, "private", null, "en", ["en"], now, ct);
            }
        }

        /// <summary>The day's analyses, each to the channel and every subscriber, all confirmed by Telegram.</summary>
        public async Task PublishAsync(int day, DateTimeOffset now, CancellationToken ct)
        {
            for (var i = 1; i <= options.Items; i++)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"day-{day}-{i}");
                var link = $"https://atlas.az/en/{key}/";
                await new Outbox(store).QueuePostAsync(
                    new ItemRecord("load", key, $"Analysis {key}", link, now, "Atlas Research Center", "en"),
                    new Post($"<b>Analysis {key}</b>\n\n{Body}", ButtonText: "Read", ButtonUrl: link),
                    [new ChannelEntry(Channel)], silent: false, now, ct);
            }

            await SendAllAsync(now, repliesOnly: false, ct);
        }

        /// <summary>The day's commands: each stored in the inbox, answered, one in ten audited, marked handled; the answers sent.</summary>
        public async Task AnswerCommandsAsync(DateTimeOffset now, CancellationToken ct)
        {
            var updates = Enumerable.Range(0, options.Updates).Select(i => (Id: _nextUpdate + i, Chat: FirstChat + (_nextUpdate + i) % options.Subscribers)).ToList();
            _nextUpdate += updates.Count;
            await store.AddToInboxAsync(
                [.. updates.Select(update => new InboxUpdate(update.Id, Payload(update.Id, update.Chat, now)))], _nextUpdate, now, ct);
            foreach (var (id, chat) in updates)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"update:{id}");
                await new Outbox(store).QueueReplyAsync($"{key}:0", chat, Post.Text($"The latest analyses:\n{Body[..300]}"), now, ct);
                if (id % 10 == 0)
                {
                    await store.AuditAsync(key, chat, "/feeds", null, allowed: true, now, ct);
                }

                await store.MarkHandledAsync(id, null, now, ct);
            }

            await SendAllAsync(now, repliesOnly: true, ct);
        }

        /// <summary>Claims every chat's head and confirms it, round after round, until nothing is due: the dispatcher's writes.</summary>
        private async Task SendAllAsync(DateTimeOffset now, bool repliesOnly, CancellationToken ct)
        {
            while (await new Outbox(store).ClaimDueAsync(now, 5_000, Lease, paused: repliesOnly, ct) is { Count: > 0 } claimed)
            {
                await store.MarkManySentAsync([.. claimed.Select(delivery => delivery.Id)], _nextMessageId++, now, ct);
            }
        }

        private static string Payload(long id, long chat, DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture,
            $$$"""{"update_id":{{{id}}},"message":{"message_id":{{{id}}},"from":{"id":{{{chat}}},"is_bot":false,"first_name":"Reader","language_code":"en"},"chat":{"id":{{{chat}}},"first_name":"Reader","type":"private"},"date":{{{now.ToUnixTimeSeconds()}}},"text":"/latest","entities":[{"offset":0,"length":7,"type":"bot_command"}]}}""");
    }

    /// <summary>The simulated clock: what every part reads as now.</summary>
    private sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Meters nobody listens to: the counters are not what this scenario measures.</summary>
    private sealed class NoMeters : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(meter => meter.Dispose());
    }
}
