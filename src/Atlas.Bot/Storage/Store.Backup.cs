namespace Atlas.Bot.Storage;

public sealed partial class Store
{
    /// <summary>
    /// Writes a consistent copy of the live database to <paramref name="file"/> (SQLite's VACUUM INTO):
    /// safe while the service runs, and the copy is compact. Fails when the file already exists.
    /// </summary>
    public async Task BackupAsync(string file, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await ExecuteAsync(connection, null, "VACUUM INTO $file;", ct, ("$file", Path.GetFullPath(file)));
    }
}
