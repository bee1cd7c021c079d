namespace Atlas.Bot.Storage;

/// <summary>One waiting post of a subscriber's backlog, as a digest lists it.</summary>
public sealed record BacklogEntry(long DeliveryId, string Title, string? Link, string? LinkCode);

public sealed partial class Store
{
    /// <summary>
    /// Leases every post of <paramref name="target"/> waiting in one subscriber's chat, oldest first, with what a digest
    /// shows of each, and the subscriber's language. The head of the chat is already leased by the caller; the rest are behind it.
    /// </summary>
    public async Task<(IReadOnlyList<BacklogEntry> Entries, string Language)> ClaimSubscriberBacklogAsync(string chat, string target, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var entries = new List<BacklogEntry>();
        await using (var command = Command(connection, tx,
            """
            SELECT d.id, i.title, i.link, l.code
            FROM deliveries d JOIN items i ON i.seq = d.item_seq LEFT JOIN links l ON l.item_seq = d.item_seq
            WHERE d.chat = @chat AND d.state = 'pending' AND d.target = @target AND d.edit_of IS NULL
            ORDER BY d.id;
            """,
            ("@chat", chat), ("@target", target)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                entries.Add(new BacklogEntry(reader.GetInt64(0), reader.GetString(1), NullableString(reader, 2), NullableString(reader, 3)));
            }
        }

        await ExecuteAsync(connection, tx,
            "UPDATE deliveries SET lease_until = @until, claimed_by = @by WHERE chat = @chat AND state = 'pending' AND target = @target AND item_seq IS NOT NULL AND edit_of IS NULL;",
            ct, ("@chat", chat), ("@target", target), ("@until", ToUnixMs(now + lease)), ("@by", ClaimantId));
        var language = await ScalarAsync(connection, tx, "SELECT ui_language FROM subscribers WHERE chat_id = CAST(@chat AS BIGINT);", ct, ("@chat", chat)) as string;
        await tx.CommitAsync(ct);
        return (entries, language ?? "en");
    }

    /// <summary>Marks several deliveries sent by one message (a digest).</summary>
    public Task MarkManySentAsync(IReadOnlyList<long> ids, int messageId, DateTimeOffset now, CancellationToken ct) =>
        UpdateEachAsync(MarkDigestSentSql, ids, ct, ("@messageId", messageId), ("@now", ToUnixMs(now)));

    /// <summary>As <see cref="MarkSentSql"/>, for the deliveries one digest message confirms: no photo, flagged as a digest.</summary>
    private const string MarkDigestSentSql =
        "UPDATE deliveries SET state = 'sent', message_id = @messageId, sent_photo = NULL, digest = 1, sent_at = @now, lease_until = NULL, attempts = attempts + 1 WHERE id = @id;";
}
