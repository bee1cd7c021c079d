namespace Atlas.Bot.Storage;

/// <summary>What cancelling an item's waiting deliveries did.</summary>
/// <param name="Cancelled">Pending or parked deliveries (posts and edits) that will never be sent now.</param>
/// <param name="InFlight">
/// Of those, how many a sender had claimed at that moment: such a one may be on the wire already, and a send that
/// Telegram confirms is still recorded as sent (then a later take-down finds it).
/// </param>
public sealed record CancelledDeliveries(int Cancelled, int InFlight);

/// <summary>One message an item was sent as, in one chat; <paramref name="ChatTitle"/> when the bot knows the chat's name.</summary>
public sealed record PostedMessage(string Chat, int MessageId, string? ChatTitle);

/// <summary>An item's sent messages to delete, and in how many other chats a copy stays (private chats, digests).</summary>
public sealed record ItemCopies(IReadOnlyList<PostedMessage> Posts, long KeptChats);

public sealed partial class Store
{
    /// <summary>
    /// A group or channel: a negative id or an @username. A private chat's id is a positive number.
    /// </summary>
    private const string GroupChat = "substr(d.chat, 1, 1) IN ('-', '@')";

    /// <summary>
    /// The message of <c>d</c> is a digest listing several items, so it is not this item's to delete. Digests are flagged
    /// since migration 11; an older one is known by another item's delivery sent as the same message. A digest's
    /// deliveries are marked sent by one statement with one time, which makes that a probe of the sent_at index rather
    /// than a scan; an edit of the same item shares the message and is not another item.
    /// </summary>
    private const string InDigest =
        """
        (COALESCE(d.digest, 0) <> 0 OR EXISTS (
            SELECT 1 FROM deliveries o
            WHERE o.state = 'sent' AND o.sent_at = d.sent_at AND o.chat = d.chat AND o.message_id = d.message_id
              AND (o.item_seq IS NULL OR o.item_seq <> d.item_seq)))
        """;

    /// <summary>
    /// Ends every delivery of item <paramref name="itemSeq"/> still waiting (pending or parked, edits included) with
    /// <paramref name="reason"/>: it is never sent. Counts those a sender held a lease on at <paramref name="now"/>.
    /// </summary>
    public async Task<CancelledDeliveries> CancelItemDeliveriesAsync(long itemSeq, string reason, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var inFlight = await ScalarLongAsync(connection, tx,
            "SELECT COUNT(*) FROM deliveries WHERE item_seq = @item AND state = 'pending' AND lease_until > @now;",
            ct, ("@item", itemSeq), ("@now", ToUnixMs(now))) ?? 0;
        var cancelled = await ExecuteAsync(connection, tx,
            "UPDATE deliveries SET state = 'dropped', lease_until = NULL, last_error = @reason WHERE item_seq = @item AND state IN ('pending', 'parked');",
            ct, ("@item", itemSeq), ("@reason", reason));
        await tx.CommitAsync(ct);
        return new CancelledDeliveries(cancelled, (int)inFlight);
    }

    /// <summary>
    /// Item <paramref name="itemSeq"/>'s sent posts not yet deleted: every message to a <paramref name="channelTarget"/>
    /// chat, and those to <paramref name="subscriberTarget"/> chats that are groups, but never a message shared with other
    /// items (a digest). <see cref="ItemCopies.KeptChats"/> counts the subscriber chats whose copy is not among them.
    /// </summary>
    public async Task<ItemCopies> ItemCopiesAsync(long itemSeq, string channelTarget, string subscriberTarget, CancellationToken ct)
    {
        var posts = await QueryAsync(
            $"""
            SELECT d.chat, d.message_id, MAX(m.title)
            FROM deliveries d LEFT JOIN memberships m ON m.chat = d.chat
            WHERE d.item_seq = @item AND d.state = 'sent' AND d.message_id IS NOT NULL AND d.deleted_at IS NULL
              AND (d.target = @channel OR (d.target = @subscriber AND {GroupChat}))
              AND NOT {InDigest}
            GROUP BY d.chat, d.message_id
            ORDER BY MIN(d.id);
            """,
            reader => new PostedMessage(reader.GetString(0), checked((int)reader.GetInt64(1)), NullableString(reader, 2)),
            ct, ("@item", itemSeq), ("@channel", channelTarget), ("@subscriber", subscriberTarget));
        await using var connection = await OpenAsync(ct);
        var kept = await ScalarLongAsync(connection, null,
            $"""
            SELECT COUNT(DISTINCT d.chat) FROM deliveries d
            WHERE d.item_seq = @item AND d.state = 'sent' AND d.target = @subscriber AND d.deleted_at IS NULL
              AND (NOT {GroupChat} OR {InDigest});
            """,
            ct, ("@item", itemSeq), ("@subscriber", subscriberTarget)) ?? 0;
        return new ItemCopies(posts, kept);
    }

    /// <summary>Records that Telegram no longer shows item <paramref name="itemSeq"/>'s message in <paramref name="chat"/> (its edits' rows too).</summary>
    public async Task MarkMessageDeletedAsync(long itemSeq, string chat, int messageId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            "UPDATE deliveries SET deleted_at = @now WHERE item_seq = @item AND chat = @chat AND message_id = @message AND state = 'sent';",
            ct, ("@item", itemSeq), ("@chat", chat), ("@message", messageId), ("@now", ToUnixMs(now)));
    }
}
