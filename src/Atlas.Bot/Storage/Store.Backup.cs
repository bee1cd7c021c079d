namespace Atlas.Bot.Storage;

public sealed partial class Store
{
    /// <summary>
    /// Writes a consistent copy of the live database to <paramref name="file"/>, safe while the service runs (SQLite's
    /// VACUUM INTO; PostgreSQL is backed up with its own tools). Null when written, else why not: the file already
    /// exists, its folder is missing, the provider has no such copy.
    /// </summary>
    public async Task<string?> BackupAsync(string file, CancellationToken ct)
    {
        try
        {
            return await _dialect.BackupAsync(file, ct);
        }
        catch (System.Data.Common.DbException exception)
        {
            return exception.Message;
        }
    }
}
