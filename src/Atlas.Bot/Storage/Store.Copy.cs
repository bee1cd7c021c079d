using System.Data.Common;

namespace Atlas.Bot.Storage;

/// <summary>How far the copy of one table has come: rows read from the source so far, of how many.</summary>
public sealed record CopyProgress(string Table, long Copied, long Total);

public sealed partial class Store
{
    /// <summary>
    /// Who holds the source's pending deliveries and unhandled updates once they are copied: no process ever claims as
    /// that, so an SQLite instance started again by mistake sends and answers nothing that moved to PostgreSQL.
    /// </summary>
    public const string CopiedClaimant = "copy-store: moved to PostgreSQL";

    private const int CopyBatch = 1000;

    /// <summary>
    /// What moves, table by table, in an order that keeps references valid (items before their links and deliveries).
    /// Key: the primary key, read in its order batch by batch (row values where it has several columns); Filter: the
    /// rows worth moving; Identity: the column whose sequence must continue past the copied ids. Not copied: the schema
    /// version (the target migrates itself) and handled updates (Telegram never sends them again: the offset is in
    /// bot_state). Unhandled updates are copied without their claims, so the target's processors handle them.
    /// </summary>
    private static readonly CopiedTable[] CopiedTables =
    [
        new("feeds", ["id"]),
        new("items", ["seq"], Identity: "seq"),
        new("item_topics", ["item_seq", "topic_key"]),
        new("links", ["code"]),
        new("chats", ["chat"]),
        new("memberships", ["chat"]),
        new("forum_topic_stops", ["chat", "thread_id"]),
        new("forum_topic_names", ["chat_id", "thread_id"]),
        new("subscribers", ["chat_id"]),
        new("subscriber_topics", ["chat_id", "topic_key"]),
        new("subscriber_events", ["id"], Identity: "id"),
        new("messages", ["seq"], Identity: "seq"),
        new("deliveries", ["id"], Identity: "id"),
        new("daily_counts", ["day", "item_seq", "kind", "language"]),
        new("daily_summary", ["day"]),
        new("open_counts", ["minute", "item_seq"]),
        new("audience", ["day", "chat"]),
        new("audit", ["id"], Identity: "id"),
        new("bot_state", ["key"]),
        new("inbox", ["update_id"], Columns: "update_id, payload, received_at", Filter: "handled_at IS NULL"),
    ];

    /// <summary>
    /// Whether <paramref name="connectionString"/> is one PostgreSQL can be reached with (Npgsql's form, a host named):
    /// null when it is, else why not, for the copy's target.
    /// </summary>
    public static string? PostgresConnectionProblem(string connectionString) => PostgresDialect.ConnectionProblem(connectionString);

    /// <summary>
    /// Copies this store's data (SQLite, read with its dialect) into <paramref name="target"/> (PostgreSQL, migrated,
    /// written with its dialect), table by table in batches, reporting each batch to <paramref name="progress"/>.
    /// Idempotent: a row whose key is already in the target is left as it is (ON CONFLICT DO NOTHING), so a second run,
    /// or one after an interrupted run, ends with the same rows, and a target already in use is never set back. Pending
    /// deliveries keep their lease (one claimed when the source stopped is sent again at most once, as after a crash).
    /// Last, the source's pending deliveries and unhandled updates are marked as held by <see cref="CopiedClaimant"/>.
    /// </summary>
    public async Task CopyToAsync(Store target, Action<CopyProgress> progress, CancellationToken ct)
    {
        await using var source = await OpenAsync(ct);
        await using var destination = await target.OpenWriterAsync(ct);
        foreach (var table in CopiedTables)
        {
            await CopyTableAsync(source, destination, table, progress, ct);
        }

        // Statistics for the rows just loaded: without them PostgreSQL plans the first claims as if the outbox were
        // empty (a claim of 32 from 100,000 pending deliveries took 809 ms instead of 10 ms), until autovacuum gets to it.
        await ExecuteAsync(destination, null, "ANALYZE;", ct);
        await MarkCopiedAsync(ct);
    }

    private static async Task CopyTableAsync(DbConnection source, DbConnection destination, CopiedTable table, Action<CopyProgress> progress, CancellationToken ct)
    {
        var filter = table.Filter ?? "TRUE";
        var total = await ScalarLongAsync(source, null, $"SELECT COUNT(*) FROM {table.Name} WHERE {filter};", ct) ?? 0;
        var keys = string.Join(", ", table.Key);
        // The first batch reads from the start; each next one from after the last key read.
        var first = $"SELECT {table.Columns ?? "*"} FROM {table.Name} WHERE {filter} ORDER BY {keys} LIMIT {CopyBatch};";
        var next = $"SELECT {table.Columns ?? "*"} FROM {table.Name} WHERE {filter} AND ({keys}) > ({string.Join(", ", table.Key.Select((_, i) => $"@k{i}"))}) ORDER BY {keys} LIMIT {CopyBatch};";
        object?[]? last = null;
        long copied = 0;
        progress(new CopyProgress(table.Name, 0, total));
        while (true)
        {
            var parameters = last is null ? [] : last.Select((value, i) => ($"@k{i}", value)).ToArray();
            var rows = new List<object?[]>();
            string[] columns;
            await using (var read = Command(source, null, last is null ? first : next, parameters))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
                while (await reader.ReadAsync(ct))
                {
                    var row = new object?[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }

                    rows.Add(row);
                }
            }

            if (rows.Count == 0)
            {
                break;
            }

            await InsertBatchAsync(destination, table.Name, columns, rows, ct);
            copied += rows.Count;
            last = table.Key.Select(key => rows[^1][Array.IndexOf(columns, key)]).ToArray();
            progress(new CopyProgress(table.Name, copied, total));
        }

        if (table.Identity is { } identity)
        {
            // The target's own inserts (new items, deliveries) must not collide with the ids copied in.
            await ExecuteAsync(destination, null,
                $"SELECT setval(pg_get_serial_sequence('{table.Name}', '{identity}'), COALESCE(MAX({identity}), 0) + 1, false) FROM {table.Name};", ct);
        }
    }

    /// <summary>One transaction per batch, one prepared INSERT for its rows; a row already there is skipped.</summary>
    private static async Task InsertBatchAsync(DbConnection destination, string table, string[] columns, List<object?[]> rows, CancellationToken ct)
    {
        await using var tx = await destination.BeginTransactionAsync(ct);
        await using var insert = Command(destination, tx,
            $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@c{i}"))}) ON CONFLICT DO NOTHING;");
        var values = columns.Select((_, i) => AddParameter(insert, $"@c{i}", null)).ToArray();
        var claimedBy = Array.IndexOf(columns, "claimed_by");
        var leaseUntil = Array.IndexOf(columns, "lease_until");
        foreach (var row in rows)
        {
            if (claimedBy >= 0 && row[claimedBy] is CopiedClaimant)
            {
                // The copy's own mark on the source (a second copy into a new target): no claim there.
                row[claimedBy] = null;
                row[leaseUntil] = null;
            }

            for (var i = 0; i < values.Length; i++)
            {
                values[i].Value = row[i] ?? DBNull.Value;
            }

            await insert.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>What was copied is PostgreSQL's now: an SQLite instance started again on the source claims none of it.</summary>
    private async Task MarkCopiedAsync(CancellationToken ct)
    {
        var forever = ToUnixMs(DateTimeOffset.MaxValue);
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        await ExecuteAsync(connection, tx, "UPDATE deliveries SET lease_until = @forever, claimed_by = @by WHERE state = 'pending';", ct,
            ("@forever", forever), ("@by", CopiedClaimant));
        await ExecuteAsync(connection, tx, "UPDATE inbox SET lease_until = @forever, claimed_by = @by WHERE handled_at IS NULL;", ct,
            ("@forever", forever), ("@by", CopiedClaimant));
        await tx.CommitAsync(ct);
    }

    private sealed record CopiedTable(string Name, string[] Key, string? Identity = null, string? Columns = null, string? Filter = null);
}
