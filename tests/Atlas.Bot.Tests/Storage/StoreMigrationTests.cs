using Atlas.Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Tests.Storage;

/// <summary>Processes that start together on one new database apply each migration once; older SQLite layouts migrate with their data.</summary>
public sealed class StoreMigrationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Stores_migrating_one_new_database_at_once_apply_each_step_once()
    {
        var connectionString = $"Data Source={Path.Combine(_folder.Path, "atlas-bot.db")}";
        var stores = Enumerable.Range(0, 6).Select(_ => new Store(Options.Create(new StorageOptions { ConnectionString = connectionString }))).ToList();

        await Task.WhenAll(stores.Select(store => Task.Run(() => store.MigrateAsync(CancellationToken.None))));

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT version), MAX(version) FROM schema_version;";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var steps = Migrations.Steps.Count;
        Assert.Equal((steps, steps, steps), (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
    }

    [Fact]
    public async Task Replicas_migrating_one_new_postgres_database_at_once_apply_each_step_once()
    {
        await using var database = await TempDatabase.CreateEmptyAsync(Provider.Postgres);
        var replicas = Enumerable.Range(0, 6).Select(_ => database.OpenAnotherStore()).ToList();

        await Task.WhenAll(replicas.Select(store => Task.Run(() => store.MigrateAsync(CancellationToken.None))));

        foreach (var store in replicas)
        {
            await store.DisposeAsync();
        }

        var steps = (long)Migrations.Steps.Count;
        Assert.Equal(steps, await database.CountAsync("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(steps, await database.CountAsync("SELECT COUNT(DISTINCT version) FROM schema_version"));
        Assert.Equal(steps, await database.CountAsync("SELECT MAX(version) FROM schema_version"));
    }

    [Fact]
    public async Task A_store_that_waited_while_another_process_migrated_goes_on_from_that_version()
    {
        var connectionString = $"Data Source={Path.Combine(_folder.Path, "atlas-bot.db")}";
        await using var other = new SqliteConnection(connectionString);
        await other.OpenAsync();
        await ExecuteAsync(other, null, "PRAGMA journal_mode = WAL; CREATE TABLE schema_version (version INTEGER NOT NULL);");
        using var otherMigration = other.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);

        // Another process holds the write lock, in the middle of applying the first step, while this one starts.
        var store = new Store(Options.Create(new StorageOptions { ConnectionString = connectionString }));
        var migrating = Task.Run(() => store.MigrateAsync(CancellationToken.None));
        await Task.Delay(300);
        await ExecuteAsync(other, otherMigration, Migrations.Steps[0].Sqlite + "INSERT INTO schema_version (version) VALUES (1);");
        otherMigration.Commit();

        await migrating.WaitAsync(TimeSpan.FromSeconds(30));
        await using var check = other.CreateCommand();
        check.CommandText = "SELECT COUNT(*) FROM schema_version;";
        Assert.Equal((long)Migrations.Steps.Count, await check.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Step_six_moves_the_raw_opens_into_counts_per_analysis_and_minute_with_the_same_figures()
    {
        // A database as step 5 left it, with raw opens: two of item 1 and one of item 2 in 09:00, one of item 1 in 09:01.
        await using var database = await TempDatabase.CreateAtVersionAsync(5);
        var nine = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        foreach (var (item, at) in new[] { (1, nine), (1, nine.AddMilliseconds(59_999)), (2, nine.AddSeconds(30)), (1, nine.AddMinutes(1)) })
        {
            await database.CountAsync($"INSERT INTO open_events (item_seq, at) VALUES ({item}, {at.ToUnixTimeMilliseconds()}) RETURNING 0");
        }

        await database.Store.MigrateAsync(CancellationToken.None);

        var minute = nine.ToUnixTimeMilliseconds();
        Assert.Equal(
            [$"{minute} 1 2", $"{minute} 2 1", $"{minute + 60_000} 1 1"],
            await database.ListAsync("SELECT minute || ' ' || item_seq || ' ' || opens FROM open_counts ORDER BY minute, item_seq"));
        Assert.Equal(0, await database.CountAsync("SELECT COUNT(*) FROM sqlite_master WHERE name = 'open_events'"));
        Assert.Equal(4, (await database.Store.FiguresBetweenAsync(nine, nine.AddMinutes(2), itemSeq: null, CancellationToken.None)).Opens);
        Assert.Equal(2, (await database.Store.FiguresBetweenAsync(nine, nine.AddMinutes(1), itemSeq: 1, CancellationToken.None)).Opens);
    }

    [Fact]
    public async Task Migration_5_moves_the_old_chart_marks_under_their_update_so_that_pruning_finds_them()
    {
        // A database from before migration 5, with the mark as it was written then.
        await using var before = await TempDatabase.CreateAtVersionAsync(4);
        await before.CountAsync("INSERT INTO bot_state (key, value) VALUES ('stats-chart:12', 'sent') RETURNING 0");

        await before.Store.MigrateAsync(CancellationToken.None);

        Assert.Equal("sent", await before.Store.GetStateAsync(Store.UpdateStateKey(12, "chart"), CancellationToken.None));
        Assert.Equal(0, await before.CountAsync("SELECT COUNT(*) FROM bot_state WHERE key LIKE 'stats-chart:%'"));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
