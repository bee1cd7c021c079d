namespace Atlas.Bot.Storage;

public sealed partial class Store
{
    /// <summary>
    /// Rows one retention batch looks at, in a write transaction of its own: the poller, the dispatcher and the inbox
    /// wait for one batch at most (milliseconds), never for a whole day's deletes.
    /// </summary>
    public const int RetentionBatch = 5_000;

    /// <summary>
    /// Deletes finished deliveries: sent ones confirmed before <paramref name="sentBefore"/> (none when null), and ones
    /// that gave up or were dropped, created before <paramref name="before"/>. Pending and parked deliveries stay
    /// whatever their age: they are still to be sent, and so does a sent one whose edit is still to be made (the edit
    /// needs its message). The items stay too, so a post is never sent again.
    /// </summary>
    public Task<long> PruneDeliveriesAsync(DateTimeOffset before, DateTimeOffset? sentBefore, CancellationToken ct, int batch = RetentionBatch) =>
        PruneInBatchesAsync("deliveries", "id", "created_at",
            """
            (state = 'sent' AND sent_at < @sentBefore
             AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.edit_of = deliveries.id AND e.state IN ('pending', 'parked')))
            OR (state IN ('failed', 'dropped') AND created_at < @before)
            """,
            before, batch, ct, ("@sentBefore", sentBefore is { } sent ? ToUnixMs(sent) : null));

    /// <summary>
    /// Deletes replies and announcements (drafts included) created before <paramref name="before"/> that no delivery
    /// refers to any more: run it after <see cref="PruneDeliveriesAsync"/>, which frees them.
    /// </summary>
    public async Task<long> PruneMessagesAsync(DateTimeOffset before, CancellationToken ct, int batch = RetentionBatch) =>
        await PruneInBatchesAsync("messages", "seq", "created_at",
            "created_at < @before AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_seq = messages.seq)",
            await BeforeWaitingUpdatesAsync(before, ct), batch, ct);

    /// <summary>Deletes audit lines written before <paramref name="before"/>.</summary>
    public async Task<long> PruneAuditAsync(DateTimeOffset before, CancellationToken ct, int batch = RetentionBatch) =>
        await PruneInBatchesAsync("audit", "id", "at", "at < @before", await BeforeWaitingUpdatesAsync(before, ct), batch, ct);

    /// <summary>
    /// Replies and audit lines are keyed by the update that made them ("update:{id}…"), which is what keeps an update
    /// handled again after a crash from making them twice. So none made since the oldest update still waiting in the
    /// inbox is deleted: that update could be the one that made it.
    /// </summary>
    private async Task<DateTimeOffset> BeforeWaitingUpdatesAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await ScalarLongAsync(connection, null, "SELECT MIN(received_at) FROM inbox WHERE handled_at IS NULL;", ct) is { } waiting
            && DateTimeOffset.FromUnixTimeMilliseconds(waiting) < before
            ? DateTimeOffset.FromUnixTimeMilliseconds(waiting)
            : before;
    }

    /// <summary>
    /// Deletes the rows of <paramref name="table"/> that meet <paramref name="condition"/> (which may use @before), walking
    /// the table in <paramref name="key"/> order one batch per transaction. Keys grow with <paramref name="time"/>, so the
    /// walk ends at the first batch that reaches a row from <paramref name="before"/> on: it never scans the rows kept.
    /// </summary>
    private async Task<long> PruneInBatchesAsync(
        string table, string key, string time, string condition, DateTimeOffset before, int batch, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var beforeMs = ToUnixMs(before);
        var pruned = 0L;
        var after = long.MinValue;
        while (true)
        {
            await using var connection = await OpenWriterAsync(ct);
            await using var tx = await BeginWriteAsync(connection, ct);
            long last;
            long newest;
            await using (var command = Command(connection, tx,
                $"SELECT MAX(k), MAX(t) FROM (SELECT {key} AS k, {time} AS t FROM {table} WHERE {key} > @after ORDER BY {key} LIMIT @batch) AS batch;",
                ("@after", after), ("@batch", batch)))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                if (reader.IsDBNull(0))
                {
                    return pruned;
                }

                (last, newest) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            pruned += await ExecuteAsync(connection, tx,
                $"DELETE FROM {table} WHERE {key} > @after AND {key} <= @last AND ({condition});",
                ct, [("@after", after), ("@last", last), ("@before", beforeMs), .. parameters]);
            await tx.CommitAsync(ct);
            if (newest >= beforeMs)
            {
                return pruned;
            }

            after = last;
        }
    }
}
