using System.Data.Common;
using Atlas.Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Atlas.Bot.Tests.Storage;

/// <summary>The database a test runs on.</summary>
public enum Provider
{
    /// <summary>A real SQLite file in a temporary folder.</summary>
    Sqlite,

    /// <summary>A fresh database on the test run's throwaway PostgreSQL cluster (<see cref="PostgresServer"/>).</summary>
    Postgres,
}

/// <summary>A real database, migrated, deleted afterwards: an SQLite file in a fresh temporary folder, or a PostgreSQL database.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly TempFolder _folder = new();

    /// <param name="postgres">The PostgreSQL database's connection string; null for an SQLite file in the folder.</param>
    private TempDatabase(string? postgres, int? busyTimeoutSeconds)
    {
        Provider = postgres is null ? Provider.Sqlite : Provider.Postgres;
        ConnectionString = postgres ?? $"Data Source={Path.Combine(_folder.Path, "atlas-bot.db")}";
        var storeConnection = busyTimeoutSeconds is { } seconds && postgres is null ? $"{ConnectionString};Default Timeout={seconds}" : ConnectionString;
        Store = new Store(Options.Create(new StorageOptions { Provider = Provider.ToString(), ConnectionString = storeConnection }));
    }

    public Provider Provider { get; }

    public string ConnectionString { get; }

    public Store Store { get; }

    /// <param name="busyTimeoutSeconds">How long the store's writers wait for a lock another connection holds; the store's own default when null.</param>
    public static Task<TempDatabase> CreateAsync(int? busyTimeoutSeconds = null) => CreateAsync(Provider.Sqlite, busyTimeoutSeconds);

    /// <param name="busyTimeoutSeconds">SQLite: how long the store's writers wait for a lock another connection holds; the store's own default when null.</param>
    public static async Task<TempDatabase> CreateAsync(Provider provider, int? busyTimeoutSeconds = null)
    {
        var database = await CreateEmptyAsync(provider, busyTimeoutSeconds);
        await database.Store.MigrateAsync(CancellationToken.None);
        return database;
    }

    /// <summary>A database that was never migrated (SQLite: a file not created yet).</summary>
    public static async Task<TempDatabase> CreateEmptyAsync(Provider provider, int? busyTimeoutSeconds = null) =>
        new(provider == Provider.Postgres ? await PostgresServer.CreateDatabaseAsync() : null, busyTimeoutSeconds);

    /// <summary>
    /// An SQLite database as the first <paramref name="version"/> migration steps left it, not migrated further: a test
    /// puts in what an older release wrote, then lets the store migrate the rest. (PostgreSQL starts at the latest layout.)
    /// </summary>
    public static async Task<TempDatabase> CreateAtVersionAsync(int version)
    {
        var database = new TempDatabase(postgres: null, busyTimeoutSeconds: null);
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE schema_version (version INTEGER NOT NULL);"
            + string.Concat(Migrations.Steps.Take(version).Select((step, i) => $"{step.Sqlite}\nINSERT INTO schema_version (version) VALUES ({i + 1});"));
        await command.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>Another store on the same database, as a second process (a replica) would open it; the caller disposes it.</summary>
    /// <param name="claimant">The name its claims carry (a replica's identity); one of its own when null.</param>
    public Store OpenAnotherStore(string? claimant = null) =>
        new(Options.Create(new StorageOptions { Provider = Provider.ToString(), ConnectionString = ConnectionString }), claimant);

    /// <summary>A connection straight to the database, not the store's, for the provider at hand.</summary>
    public DbConnection Connect() =>
        Provider == Provider.Postgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

    /// <summary>Runs a query straight against the database, to check what the store wrote.</summary>
    public async Task<long> CountAsync(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row of a query straight against the database, as text.</summary>
    public async Task<List<string>> ListAsync(string sql)
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    /// <summary>Subscribes private chats <paramref name="firstChat"/>, +1, … (<paramref name="count"/> of them) to <paramref name="language"/>, through the store as /start would.</summary>
    /// <returns>Their chat ids, in order.</returns>
    public async Task<IReadOnlyList<long>> SubscribeManyAsync(long firstChat, int count, string language)
    {
        var chats = Enumerable.Range(0, count).Select(i => firstChat + i).ToList();
        var now = DateTimeOffset.UtcNow;
        foreach (var chat in chats)
        {
            await Store.SubscribeAsync(chat, "private", null, language, [language], now, CancellationToken.None);
        }

        return chats;
    }

    public async ValueTask DisposeAsync()
    {
        // Closes the store's pooled connections (PostgreSQL's would otherwise stay open until the run ends).
        await Store.DisposeAsync();
        _folder.Dispose();
    }
}
