namespace Atlas.Bot.Storage;

/// <summary>An update from Telegram waiting to be handled, as the JSON Telegram sent.</summary>
public sealed record InboxUpdate(long UpdateId, string Payload);

public sealed partial class Store
{
    /// <summary>As for deliveries: on PostgreSQL a process passes over the updates another is claiming.</summary>
    private static readonly Sql SkipLockedUpdates = new(Sqlite: "", Postgres: "FOR UPDATE SKIP LOCKED");

    private static readonly Sql ClaimUpdatesSql = Sql.For(pick =>
        $"""
        SELECT update_id, payload FROM inbox
        WHERE handled_at IS NULL AND (lease_until IS NULL OR lease_until <= @now)
        ORDER BY update_id LIMIT @max
        {pick(SkipLockedUpdates)};
        """);

    /// <summary>
    /// The state kept for pruned updates. "update:{id}:{what}": the id runs from the 8th character to the next colon.
    /// PostgreSQL may test the conditions in any order, so its id is compared as text, which cannot fail on another key.
    /// </summary>
    private static readonly Sql PruneUpdateStateSql = new(
        Sqlite:
        """
        DELETE FROM bot_state
        WHERE key LIKE 'update:%'
          AND CAST(substr(key, 8, instr(substr(key, 8), ':') - 1) AS INTEGER) NOT IN (SELECT update_id FROM inbox);
        """,
        Postgres:
        """
        DELETE FROM bot_state
        WHERE key LIKE 'update:%'
          AND split_part(key, ':', 2) NOT IN (SELECT CAST(update_id AS TEXT) FROM inbox);
        """);

    private const string UpdateOffsetKey = "update_offset";

    /// <summary>
    /// A bot_state key that belongs to one update (say, "its chart was sent"): it matters while the update could be
    /// handled again, and is deleted with the update when the inbox is pruned.
    /// </summary>
    public static string UpdateStateKey(long updateId, string what) =>
        $"update:{updateId.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{what}";

    /// <summary>
    /// Stores updates before anything acts on them, together with the next getUpdates offset, in one
    /// transaction: after a crash no update is lost (it is in the inbox) and none is fetched twice.
    /// An update already in the inbox (Telegram resending a webhook) is ignored.
    /// </summary>
    public async Task AddToInboxAsync(IReadOnlyList<InboxUpdate> updates, long? nextOffset, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        // One command, prepared once, for the whole batch.
        await using (var insert = Command(connection, tx,
            "INSERT INTO inbox (update_id, payload, received_at) VALUES (@id, @payload, @now) ON CONFLICT (update_id) DO NOTHING;",
            ("@now", ToUnixMs(now))))
        {
            var id = AddParameter(insert, "@id", 0L);
            var payload = AddParameter(insert, "@payload", "");
            foreach (var update in updates)
            {
                id.Value = update.UpdateId;
                payload.Value = update.Payload;
                await insert.ExecuteNonQueryAsync(ct);
            }
        }

        if (nextOffset is { } offset)
        {
            await SetStateAsync(connection, tx, UpdateOffsetKey, offset.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>The offset to ask getUpdates for: one past the last update stored.</summary>
    public async Task<long?> UpdateOffsetAsync(CancellationToken ct) =>
        long.TryParse(await GetStateAsync(UpdateOffsetKey, ct), System.Globalization.CultureInfo.InvariantCulture, out var offset) ? offset : null;

    /// <summary>The oldest unhandled updates, in the order Telegram numbered them.</summary>
    public async Task<IReadOnlyList<InboxUpdate>> UnhandledUpdatesAsync(int max, CancellationToken ct) =>
        await QueryAsync(
            "SELECT update_id, payload FROM inbox WHERE handled_at IS NULL ORDER BY update_id LIMIT @max;",
            reader => new InboxUpdate(reader.GetInt64(0), reader.GetString(1)),
            ct, ("@max", max));

    /// <summary>
    /// Claims up to <paramref name="max"/> unhandled updates that no process holds, oldest first, leased to this process
    /// until <paramref name="now"/> + <paramref name="lease"/>: with several processes on one database each update is
    /// handled by one of them, and one that dies lets its updates go when the lease ends.
    /// </summary>
    public async Task<IReadOnlyList<InboxUpdate>> ClaimUpdatesAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var claimed = new List<InboxUpdate>();
        await using (var command = Command(connection, tx, _dialect.Pick(ClaimUpdatesSql),
            ("@now", ToUnixMs(now)), ("@max", max)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                claimed.Add(new InboxUpdate(reader.GetInt64(0), reader.GetString(1)));
            }
        }

        await ExecuteForEachIdAsync(connection, tx, "UPDATE inbox SET lease_until = @until, claimed_by = @by WHERE update_id = @id;",
            claimed.Select(update => update.UpdateId), ct, ("@until", ToUnixMs(now + lease)), ("@by", ClaimantId));
        await tx.CommitAsync(ct);
        return claimed;
    }

    /// <summary>
    /// Extends this process's claim on an update to <paramref name="until"/>: true while the update is still its own and
    /// unhandled, false when its lease ran out and another process claimed it meanwhile (or it was handled), so that this
    /// one leaves it alone.
    /// </summary>
    public async Task<bool> RenewUpdateLeaseAsync(long updateId, DateTimeOffset until, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        return await ExecuteAsync(connection, null,
            "UPDATE inbox SET lease_until = @until WHERE update_id = @id AND claimed_by = @by AND handled_at IS NULL;",
            ct, ("@id", updateId), ("@until", ToUnixMs(until)), ("@by", ClaimantId)) == 1;
    }

    /// <summary>
    /// Marks an update handled; <paramref name="error"/> keeps what went wrong when its handler failed. Only its claimant
    /// (or anyone, for an update nobody claimed) marks it: a process whose lease ran out while it handled the update
    /// leaves the mark to the one that claimed it next. False when the update was not this process's to mark.
    /// </summary>
    public async Task<bool> MarkHandledAsync(long updateId, string? error, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        return await ExecuteAsync(connection, null,
            "UPDATE inbox SET handled_at = @now, error = @error WHERE update_id = @id AND (claimed_by IS NULL OR claimed_by = @by);", ct,
            ("@id", updateId), ("@now", ToUnixMs(now)), ("@error", error), ("@by", ClaimantId)) == 1;
    }

    /// <summary>
    /// Lets go of the updates this process claimed and has not handled (a clean shutdown), so that another process takes
    /// them at once instead of after the lease.
    /// </summary>
    public async Task<int> ReleaseUpdatesAsync(CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        return await ExecuteAsync(connection, null,
            "UPDATE inbox SET lease_until = NULL, claimed_by = NULL WHERE claimed_by = @by AND handled_at IS NULL;", ct, ("@by", ClaimantId));
    }

    /// <summary>
    /// Deletes handled updates older than <paramref name="before"/>, and the state kept for them
    /// (<see cref="UpdateStateKey"/>); the offset keeps them from coming back.
    /// </summary>
    public async Task<int> PruneInboxAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var pruned = await ExecuteAsync(connection, tx, "DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < @before;", ct, ("@before", ToUnixMs(before)));
        await ExecuteAsync(connection, tx, _dialect.Pick(PruneUpdateStateSql), ct);
        await tx.CommitAsync(ct);
        return pruned;
    }
}
