using System.Data.Common;

namespace Atlas.Bot.Storage;

/// <summary>
/// A statement (or a piece of one) as each provider spells it, the two texts side by side where they are used;
/// most statements are the same text for both (<see cref="Both"/>).
/// </summary>
internal sealed record Sql(string Sqlite, string Postgres)
{
    public static Sql Both(string text) => new(text, text);

    /// <summary>
    /// A statement written once around provider-specific pieces: <paramref name="text"/> is given each provider's pick of
    /// a piece. Built once (a static field), so a hot path does not assemble the same text on every call.
    /// </summary>
    public static Sql For(Func<Func<Sql, string>, string> text) => new(text(piece => piece.Sqlite), text(piece => piece.Postgres));

    /// <summary>The strings of the JSON array in <paramref name="parameter"/> as rows: a subquery for <c>IN (…)</c>.</summary>
    public static Sql JsonTexts(string parameter) =>
        new($"SELECT value FROM json_each({parameter})", $"SELECT jsonb_array_elements_text(CAST({parameter} AS jsonb))");
}

/// <summary>
/// What differs between the providers besides a statement's text: connections, write transactions, the migration
/// lock, backups. <see cref="SqliteDialect"/> and <see cref="PostgresDialect"/> are the only types that know which
/// database the store talks to.
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    public static SqlDialect For(StorageOptions options) =>
        StorageOptions.IsPostgres(options.Provider) ? new PostgresDialect(options) : new SqliteDialect(options);

    /// <summary>Where the data lives, for logs and messages: a file, or a server and database (never a password).</summary>
    public abstract string DataSource { get; }

    public abstract string Pick(Sql sql);

    /// <summary>Whether there is a database to read, for the verbs that never create one.</summary>
    public abstract Task<bool> ExistsAsync(CancellationToken ct);

    /// <summary>What must be in place before the first migration transaction (a folder, a journal mode).</summary>
    public abstract Task PrepareAsync(CancellationToken ct);

    /// <summary>Keeps other processes from migrating until <paramref name="tx"/> ends.</summary>
    public abstract Task LockMigrationsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct);

    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>Opens a connection for writing (on SQLite it holds this process's write turn until it is closed).</summary>
    public abstract Task<DbConnection> OpenWriterAsync(CancellationToken ct);

    /// <summary>A transaction that reads and then writes without another writer changing what it read in between.</summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Writes a consistent copy of the live database to <paramref name="file"/>; null when written, else why not.</summary>
    public abstract Task<string?> BackupAsync(string file, CancellationToken ct);

    public abstract ValueTask DisposeAsync();
}
