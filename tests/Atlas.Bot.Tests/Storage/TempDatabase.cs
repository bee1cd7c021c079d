using Atlas.Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Tests.Storage;

/// <summary>A real SQLite file in a fresh temporary folder, migrated, deleted afterwards.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly TempFolder _folder = new();

    private TempDatabase(int? busyTimeoutSeconds)
    {
        ConnectionString = $"Data Source={Path.Combine(_folder.Path, "atlas-bot.db")}";
        var storeConnection = busyTimeoutSeconds is { } seconds ? $"{ConnectionString};Default Timeout={seconds}" : ConnectionString;
        Store = new Store(Options.Create(new StorageOptions { ConnectionString = storeConnection }));
    }

    public string ConnectionString { get; }

    public Store Store { get; }

    /// <param name="busyTimeoutSeconds">How long the store's writers wait for a lock another connection holds; the store's own default when null.</param>
    public static async Task<TempDatabase> CreateAsync(int? busyTimeoutSeconds = null)
    {
        var database = new TempDatabase(busyTimeoutSeconds);
        await database.Store.MigrateAsync(CancellationToken.None);
        return database;
    }

    /// <summary>
    /// A database as the first <paramref name="version"/> migration steps left it, not migrated further: a test puts in
    /// what an older release wrote, then lets the store migrate the rest.
    /// </summary>
    public static async Task<TempDatabase> CreateAtVersionAsync(int version)
    {
        var database = new TempDatabase(busyTimeoutSeconds: null);
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE schema_version (version INTEGER NOT NULL);"
            + string.Concat(Migrations.Steps.Take(version).Select((step, i) => $"{step.Sqlite}\nINSERT INTO schema_version (version) VALUES ({i + 1});"));
        await command.ExecuteNonQueryAsync();
        return database;
    }

    /// <summary>Runs a query straight against the file, to check what the store wrote.</summary>
    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row of a query straight against the file, as text.</summary>
    public async Task<List<string>> ListAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
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

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
