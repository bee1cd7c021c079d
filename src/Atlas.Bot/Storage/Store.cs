using System.Globalization;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Storage;

/// <summary>
/// The one storage type: every SQL statement of the bot lives in this class's partial files
/// (feeds, items, chats, deliveries). A connection per operation: Microsoft.Data.Sqlite pools them,
/// and short-lived connections keep the poller and the dispatcher from serialising on one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "The write gate's SemaphoreSlim never creates its wait handle, so there is nothing to release; disposing it could fault a connection closing during shutdown.")]
public sealed partial class Store
{
    private readonly string _connectionString;

    /// <summary>
    /// SQLite lets one writer in at a time. A writer that finds the file locked is retried by Microsoft.Data.Sqlite
    /// with a blocking 150 ms sleep, which under a fan-out's hundreds of concurrent sends stalls thread-pool threads;
    /// so this process's writers queue here (asynchronously) instead, and only another process can still meet a lock.
    /// </summary>
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>
    /// The native connections that already run with synchronous = NORMAL: in WAL mode NORMAL still survives a crash
    /// or kill -9 of the bot (only an OS crash or power cut can lose the last commits), and it saves an fsync per
    /// commit: the dispatcher commits once per confirmed send. Weak keys: a native connection the pool closes drops out.
    /// </summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Synchronous = new();

    private static readonly object Configured = new();

    public Store(IOptions<StorageOptions> options)
    {
        var builder = new SqliteConnectionStringBuilder(options.Value.ConnectionString) { Pooling = true };
        if (!builder.ShouldSerialize("Default Timeout"))
        {
            // A writer waits for another this long (unless the connection string says otherwise) instead of failing with SQLITE_BUSY.
            builder.DefaultTimeout = 30;
        }

        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
    }

    /// <summary>The database file, for logs and health.</summary>
    public string DataSource { get; }

    /// <summary>Creates the database folder and file if needed and applies pending migrations.</summary>
    public async Task MigrateAsync(CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(DataSource));
        if (!string.IsNullOrEmpty(folder) && DataSource != ":memory:")
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(ct);
        // WAL lets the dispatcher read while the poller writes; it persists in the file.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", ct);
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);", ct);

        while (true)
        {
            // The version is read inside the write transaction: two processes starting together apply each step once.
            await using var tx = await BeginWriteAsync(connection, ct);
            var current = (int)(await ScalarLongAsync(connection, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", ct) ?? 0);
            if (current >= Migrations.Steps.Count)
            {
                return;
            }

            await ExecuteAsync(connection, tx, Migrations.Steps[current], ct);
            await ExecuteAsync(connection, tx, $"INSERT INTO schema_version (version) VALUES ({current + 1});", ct);
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>True when the database answers a trivial query.</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            return await ScalarLongAsync(connection, null, "SELECT 1;", ct) == 1;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is the database being unavailable for a while rather than a fault of the
    /// statement: locked by another process for longer than the busy timeout (SQLITE_BUSY, SQLITE_LOCKED), or what
    /// another provider calls transient. Worth trying the whole operation again a little later.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var each = exception; each is not null; each = each.InnerException)
        {
            if (each is SqliteException { SqliteErrorCode: SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED } || each is DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        // The setting belongs to the native connection, which the pool keeps open and hands out again: set it
        // once per native connection rather than once per operation (every send's MarkSentAsync opens one).
        if (!Synchronous.TryGetValue(connection.Handle!, out _))
        {
            await ExecuteAsync(connection, null, "PRAGMA synchronous = NORMAL;", ct);
            Synchronous.AddOrUpdate(connection.Handle!, Configured);
        }

        return connection;
    }

    /// <summary>Opens a connection for writing: it holds this process's write turn until it is closed.</summary>
    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken ct)
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
    private static Task<DbTransaction> BeginWriteAsync(SqliteConnection connection, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Microsoft.Data.Sqlite's transactions are synchronous underneath; only the sync overload takes "deferred".
        return Task.FromResult<DbTransaction>(connection.BeginTransaction(IsolationLevel.Serializable, deferred: false));
    }

    private static SqliteCommand Command(SqliteConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = (SqliteTransaction?)tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs a query on a connection of its own and reads every row with <paramref name="read"/>.</summary>
    private async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>A query whose first column is a text key: each row's value by its key.</summary>
    private async Task<Dictionary<string, TValue>> QueryMapAsync<TValue>(string sql, Func<SqliteDataReader, TValue> value, CancellationToken ct)
    {
        var map = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var (key, each) in await QueryAsync(sql, reader => (reader.GetString(0), value(reader)), ct))
        {
            map[key] = each;
        }

        return map;
    }

    /// <summary>Runs one statement for each of <paramref name="ids"/> (as $id), prepared once, in the caller's transaction.</summary>
    private static async Task ExecuteForEachIdAsync(SqliteConnection connection, DbTransaction tx, string sql, IEnumerable<long> ids, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        var id = command.Parameters.AddWithValue("$id", 0L);
        foreach (var each in ids)
        {
            id.Value = each;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Runs one statement for each of <paramref name="ids"/> (as $id) in a single write transaction.</summary>
    private async Task UpdateEachAsync(string sql, IEnumerable<long> ids, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        await ExecuteForEachIdAsync(connection, tx, sql, ids, ct, parameters);
        await tx.CommitAsync(ct);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        var value = await command.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    private static async Task<long?> ScalarLongAsync(SqliteConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters) =>
        await ScalarAsync(connection, tx, sql, ct, parameters) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    private static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset? FromUnixMs(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
