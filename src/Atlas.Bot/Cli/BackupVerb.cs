using Atlas.Bot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Cli;

/// <summary>
/// <c>atlas-bot backup &lt;file&gt;</c>: a consistent online copy of the database the configuration names,
/// taken while the service runs (for example <c>docker exec atlas-bot /app/atlas-bot backup /data/backup.db</c>).
/// </summary>
public static class BackupVerb
{
    public static async Task<int> RunAsync(Invocation invocation, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var file = Path.GetFullPath(invocation.Target!);
        if (File.Exists(file))
        {
            await error.WriteLineAsync($"backup: {file} already exists; choose a new file name");
            return 1;
        }

        if (await AtlasConfiguration.LoadAsync(invocation.ConfigPath, error) is not { } configuration)
        {
            return 2;
        }

        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var store = new Store(Options.Create(storage));
        if (!File.Exists(store.DataSource))
        {
            await error.WriteLineAsync($"backup: there is no database at {store.DataSource}");
            return 1;
        }

        try
        {
            await store.BackupAsync(file, ct);
        }
        catch (SqliteException exception)
        {
            await error.WriteLineAsync($"backup: {exception.Message}");
            return 1;
        }

        await output.WriteLineAsync($"backup of {store.DataSource} written to {file}");
        return 0;
    }
}
