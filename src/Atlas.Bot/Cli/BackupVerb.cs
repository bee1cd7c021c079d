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

        if (await AtlasConfiguration.ExistingStoreAsync(configuration, "backup", error) is not { } store)
        {
            return 1;
        }

        if (await store.BackupAsync(file, ct) is { } problem)
        {
            await error.WriteLineAsync($"backup: {problem}");
            return 1;
        }

        await output.WriteLineAsync($"backup of {store.DataSource} written to {file}");
        return 0;
    }
}
