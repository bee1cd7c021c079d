using System.Globalization;
using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Storage;

/// <summary>
/// The one storage type: every SQL statement of the bot lives in this class's partial files
/// (feeds, items, chats, deliveries). A connection per operation: both providers pool them, and
/// short-lived connections keep the poller and the dispatcher from serialising on one. What differs
/// between SQLite and PostgreSQL beyond a statement's text sits in the dialect (<see cref="SqlDialect"/>).
/// </summary>
public sealed partial class Store : IAsyncDisposable
{
    /// <summary>
    /// A position function: SQLite's instr and PostgreSQL's strpos take the same arguments (text, then what to find)
    /// and both answer 0 when it is not there.
    /// </summary>
    /// <remarks>A property, not a field: statement fields in other partial files read it while they initialise.</remarks>
    private static Sql Position => new(Sqlite: "instr", Postgres: "strpos");

    private readonly SqlDialect _dialect;

    /// <param name="claimant">
    /// The name this process's claims carry (<see cref="ClaimantId"/>): the service passes its replica's identity. Null
    /// for a store opened on its own (a CLI verb, a tool, a test), which gets a name unique to it.
    /// </param>
    public Store(IOptions<StorageOptions> options, string? claimant = null)
    {
        _dialect = SqlDialect.For(options.Value);
        ClaimantId = claimant ?? Guid.NewGuid().ToString("N");
    }

    /// <summary>The database, for logs and health: the SQLite file, or PostgreSQL's server and database.</summary>
    public string DataSource => _dialect.DataSource;

    /// <summary>
    /// Who this process is when it claims work (a delivery, an update): a claim names its holder, so that a lease can
    /// only be renewed or released by the process that took it. In the service it is the replica's identity, the same
    /// name its leadership leases carry, so a process restarted after a crash knows its dead predecessor's claims too.
    /// </summary>
    public string ClaimantId { get; }

    /// <summary>Creates the database (an SQLite file and its folder) if needed and applies pending migrations.</summary>
    public async Task MigrateAsync(CancellationToken ct)
    {
        await _dialect.PrepareAsync(ct);
        await using var connection = await _dialect.OpenAsync(ct);
        while (true)
        {
            // The version is read inside the write transaction, after the migration lock: processes starting together
            // apply each step once.
            await using var tx = await _dialect.BeginWriteAsync(connection, ct);
            await _dialect.LockMigrationsAsync(connection, tx, ct);
            await ExecuteAsync(connection, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);", ct);
            var current = (int)(await ScalarLongAsync(connection, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", ct) ?? 0);
            if (current >= Migrations.Steps.Count)
            {
                return;
            }

            await ExecuteAsync(connection, tx, _dialect.Pick(Migrations.Steps[current]), ct);
            await ExecuteAsync(connection, tx, $"INSERT INTO schema_version (version) VALUES ({current + 1});", ct);
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>Whether there is a database to read (the verbs that only read never create one).</summary>
    public Task<bool> ExistsAsync(CancellationToken ct) => _dialect.ExistsAsync(ct);

    /// <summary>True when the database answers a trivial query.</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct);
            return await ScalarLongAsync(connection, null, "SELECT 1;", ct) == 1;
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is the database being unavailable for a while rather than a fault of the
    /// statement: SQLite locked by another process for longer than the busy timeout (SQLITE_BUSY, SQLITE_LOCKED), or
    /// what the provider calls transient (PostgreSQL: a lost connection, a serialization failure, a deadlock). Worth
    /// trying the whole operation again a little later.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var each = exception; each is not null; each = each.InnerException)
        {
            if (SqliteDialect.IsBusy(each) || each is DbException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="exception"/> came from the database (either provider): what a caller outside Storage
    /// catches instead of a provider's exception type.
    /// </summary>
    public static bool IsDatabaseError(Exception exception) => exception is DbException;

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    private Task<DbConnection> OpenAsync(CancellationToken ct) => _dialect.OpenAsync(ct);

    /// <summary>Opens a connection for writing: on SQLite it holds this process's write turn until it is closed.</summary>
    private Task<DbConnection> OpenWriterAsync(CancellationToken ct) => _dialect.OpenWriterAsync(ct);

    /// <summary>A write transaction (SQLite: BEGIN IMMEDIATE, so read-then-write transactions cannot deadlock).</summary>
    private Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) => _dialect.BeginWriteAsync(connection, ct);

    private static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs a query on a connection of its own and reads every row with <paramref name="read"/>.</summary>
    private async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken ct, params (string Name, object? Value)[] parameters)
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
    private async Task<Dictionary<string, TValue>> QueryMapAsync<TValue>(string sql, Func<DbDataReader, TValue> value, CancellationToken ct)
    {
        var map = new Dictionary<string, TValue>(StringComparer.Ordinal);
        foreach (var (key, each) in await QueryAsync(sql, reader => (reader.GetString(0), value(reader)), ct))
        {
            map[key] = each;
        }

        return map;
    }

    /// <summary>Runs one statement for each of <paramref name="ids"/> (as @id), prepared once, in the caller's transaction.</summary>
    private static async Task ExecuteForEachIdAsync(DbConnection connection, DbTransaction tx, string sql, IEnumerable<long> ids, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        var id = AddParameter(command, "@id", 0L);
        foreach (var each in ids)
        {
            id.Value = each;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Runs one statement for each of <paramref name="ids"/> (as @id) in a single write transaction.</summary>
    private async Task UpdateEachAsync(string sql, IEnumerable<long> ids, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        await ExecuteForEachIdAsync(connection, tx, sql, ids, ct, parameters);
        await tx.CommitAsync(ct);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        var value = await command.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    private static async Task<long?> ScalarLongAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object? Value)[] parameters) =>
        await ScalarAsync(connection, tx, sql, ct, parameters) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;

    private static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset? FromUnixMs(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
