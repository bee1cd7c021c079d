using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Atlas.Bot.Storage;

/// <summary>SQLite, the embedded default: one file, one writer at a time, WAL so that readers never wait.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The write gate's SemaphoreSlim never creates its wait handle, so there is nothing to release; disposing it could fault a connection closing during shutdown.")]
internal sealed class SqliteDialect : SqlDialect
{
    /// <summary>
    /// The native connections that already run with synchronous = NORMAL: in WAL mode NORMAL still survives a crash
    /// or kill -9 of the bot (only an OS crash or power cut can lose the last commits), and it saves an fsync per
    /// commit: the dispatcher commits once per confirmed send. Weak keys: a native connection the pool closes drops out.
    /// </summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Synchronous = new();

    private static readonly object Configured = new();

    private readonly DbDataSource _source;

    /// <summary>
    /// SQLite lets one writer in at a time. A writer that finds the file locked is retried by Microsoft.Data.Sqlite
    /// with a blocking 150 ms sleep, which under a fan-out's hundreds of concurrent sends stalls thread-pool threads;
    /// so this process's writers queue here (asynchronously) instead, and only another process can still meet a lock.
    /// </summary>
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SqliteDialect(StorageOptions options)
    {
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = true };
        if (!builder.ShouldSerialize("Default Timeout"))
        {
            // A writer waits for another this long (unless the connection string says otherwise) instead of failing with SQLITE_BUSY.
            builder.DefaultTimeout = 30;
        }

        _source = SqliteFactory.Instance.CreateDataSource(builder.ToString());
        DataSource = builder.DataSource;
    }

    public override string DataSource { get; }

    public override string Pick(Sql sql) => sql.Sqlite;

    /// <summary>Locked by another process for longer than the busy timeout: SQLITE_BUSY or SQLITE_LOCKED.</summary>
    public static bool IsBusy(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED };

    public override Task<bool> ExistsAsync(CancellationToken ct) => Task.FromResult(File.Exists(DataSource));

    public override async Task PrepareAsync(CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(DataSource));
        if (!string.IsNullOrEmpty(folder) && DataSource != ":memory:")
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(ct);
        // WAL lets the dispatcher read while the poller writes; it persists in the file.
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", ct);
    }

    /// <summary>Nothing more: BEGIN IMMEDIATE already keeps every other writer out.</summary>
    public override Task LockMigrationsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = (SqliteConnection)await _source.OpenConnectionAsync(ct);
        // The setting belongs to the native connection, which the pool keeps open and hands out again: set it
        // once per native connection rather than once per operation (every send's MarkSentAsync opens one).
        if (!Synchronous.TryGetValue(connection.Handle!, out _))
        {
            await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL;", ct);
            Synchronous.AddOrUpdate(connection.Handle!, Configured);
        }

        return connection;
    }

    public override async Task<DbConnection> OpenWriterAsync(CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            var connection = await OpenAsync(ct);
            connection.StateChange += (_, change) =>
            {
                if (change.CurrentState == ConnectionState.Closed)
                {
                    _writer.Release();
                }
            };
            return connection;
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    /// <summary>BEGIN IMMEDIATE: takes the write lock up front, so read-then-write transactions cannot deadlock.</summary>
    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Microsoft.Data.Sqlite's transactions are synchronous underneath; only the sync overload takes "deferred".
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false));
    }

    /// <summary>VACUUM INTO: safe while the service runs, and the copy is compact. Fails when the file already exists.</summary>
    public override async Task<string?> BackupAsync(string file, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO @file;";
        command.Parameters.Add(new SqliteParameter("@file", Path.GetFullPath(file)));
        await command.ExecuteNonQueryAsync(ct);
        return null;
    }

    public override ValueTask DisposeAsync() => _source.DisposeAsync();

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
