using Atlas.Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Tests.Storage;

/// <summary>Processes that start together on one new database apply each migration once.</summary>
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
        await ExecuteAsync(other, otherMigration, Migrations.Steps[0] + "INSERT INTO schema_version (version) VALUES (1);");
        otherMigration.Commit();

        await migrating.WaitAsync(TimeSpan.FromSeconds(30));
        await using var check = other.CreateCommand();
        check.CommandText = "SELECT COUNT(*) FROM schema_version;";
        Assert.Equal((long)Migrations.Steps.Count, await check.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
