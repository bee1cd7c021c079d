using Atlas.Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Tests.Storage;

/// <summary>A real SQLite file in a fresh temporary folder, migrated, deleted afterwards.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly TempFolder _folder = new();

    private TempDatabase()
    {
        ConnectionString = $"Data Source={Path.Combine(_folder.Path, "atlas-bot.db")}";
        Store = new Store(Options.Create(new StorageOptions { ConnectionString = ConnectionString }));
    }

    public string ConnectionString { get; }

    public Store Store { get; }

    public static async Task<TempDatabase> CreateAsync()
    {
        var database = new TempDatabase();
        await database.Store.MigrateAsync(CancellationToken.None);
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

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
