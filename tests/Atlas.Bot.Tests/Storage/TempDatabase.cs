using Atlas.Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Tests.Storage;

/// <summary>A real SQLite file in a fresh temporary folder, migrated, deleted afterwards.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private TempDatabase(string folder)
    {
        Folder = folder;
        ConnectionString = $"Data Source={Path.Combine(folder, "atlas-bot.db")}";
        Store = new Store(Options.Create(new StorageOptions { ConnectionString = ConnectionString }));
    }

    public string Folder { get; }

    public string ConnectionString { get; }

    public Store Store { get; }

    public static async Task<TempDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "atlas-bot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new TempDatabase(folder);
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
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection on another thread; the temp folder is cleaned by the OS.
        }

        return ValueTask.CompletedTask;
    }
}
