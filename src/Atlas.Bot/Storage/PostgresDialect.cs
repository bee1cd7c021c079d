using System.Data;
using System.Data.Common;
using Npgsql;

namespace Atlas.Bot.Storage;

/// <summary>
/// PostgreSQL, for several replicas on one database: every process writes at once, so claims lock rows (FOR UPDATE
/// SKIP LOCKED) instead of relying on a single writer, and migrations take an advisory lock.
/// </summary>
internal sealed class PostgresDialect : SqlDialect
{
    /// <summary>The advisory lock migrations hold inside their transaction: any fixed number all replicas agree on.</summary>
    private const long MigrationLock = 0x41746C6173426F74; // "AtlasBot"

    private readonly NpgsqlDataSource _source;

    public PostgresDialect(StorageOptions options)
    {
        var builder = Connection(options);
        _source = NpgsqlDataSource.Create(builder);
        DataSource = $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public override string DataSource { get; }

    public override string Pick(Sql sql) => sql.Postgres;

    /// <summary>The database exists when it answers: creating it (and its user) is the operator's, not the bot's.</summary>
    public override async Task<bool> ExistsAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public override Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Replicas starting together queue here, one migration transaction at a time; the lock ends with the transaction,
    /// and the next one then reads the version the previous one wrote.
    /// </summary>
    public override async Task LockMigrationsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key);", (NpgsqlConnection)connection, (NpgsqlTransaction)tx);
        command.Parameters.AddWithValue("key", MigrationLock);
        await command.ExecuteNonQueryAsync(ct);
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    /// <summary>No write gate: PostgreSQL takes concurrent writers; rows another writer holds are waited for or skipped.</summary>
    public override Task<DbConnection> OpenWriterAsync(CancellationToken ct) => OpenAsync(ct);

    /// <summary>
    /// Read committed: each statement sees what committed before it. Claims lock what they take (FOR UPDATE SKIP LOCKED),
    /// leases are compared and set in one statement, and the migration transaction holds an advisory lock.
    /// </summary>
    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

    public override Task<string?> BackupAsync(string file, CancellationToken ct) =>
        Task.FromResult<string?>($"the database is PostgreSQL ({DataSource}): back it up with pg_dump, e.g. pg_dump -Fc -f {file} <database>");

    public override ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <summary>Null when <paramref name="connectionString"/> is in Npgsql's form and names a host, else why not.</summary>
    internal static string? ConnectionProblem(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrEmpty(builder.Host) ? "it names no Host (Npgsql's form: Host=…;Port=…;Username=…;Database=…)" : null;
        }
        catch (ArgumentException exception)
        {
            return $"it is not in Npgsql's form (Host=…;Port=…;Username=…;Database=…): {exception.Message}";
        }
    }

    /// <summary>The connection string the store uses, password included: Quartz's job store connects with the same.</summary>
    internal static NpgsqlConnectionStringBuilder Connection(StorageOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        if (!string.IsNullOrEmpty(options.Password))
        {
            // From Storage__Password (a /run/secrets file, say), so the connection string can live in plain configuration.
            builder.Password = options.Password;
        }

        return builder;
    }
}
