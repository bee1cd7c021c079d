using System.Globalization;
using System.Data.Common;
using Atlas.Bot.Posts;

namespace Atlas.Bot.Storage;

/// <summary>The states of a delivery row. Only the dispatcher moves a row from one to another.</summary>
public static class DeliveryStates
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    /// <summary>Gave up: Telegram rejected it for good, or transient failures ran out of attempts.</summary>
    public const string Failed = "failed";
    /// <summary>Waiting for a chat that blocked the bot; re-pended when the chat is unblocked at start.</summary>
    public const string Parked = "parked";

    /// <summary>Never to be sent: the subscriber stopped or blocked the bot.</summary>
    public const string Dropped = "dropped";
}

/// <summary>The message an edit changes: the delivery that sent it, its id in the chat, and the photo it shows (null: a text message).</summary>
public sealed record MessageEdit(long SentDelivery, int MessageId, string? ShownPhoto);

/// <summary>One message Telegram may still be counting against its flood limits: where and when it was sent.</summary>
public sealed record RecentSend(string Chat, DateTimeOffset SentAt);

/// <summary>A delivery claimed by the dispatcher, leased until it reports back.</summary>
/// <param name="Source">For logs: the feed of a post, or the kind of a message ("reply", "broadcast").</param>
/// <param name="Title">For logs: the post's title, or the message's key.</param>
/// <param name="LinkCode">The item's tracked-link code (null for replies and announcements).</param>
/// <param name="Backlog">For a post: how many posts of the same target are waiting in its chat, this one included.</param>
/// <param name="Edit">Set when this delivery edits a message already sent rather than sending one.</param>
public sealed record ClaimedDelivery(long Id, string Chat, string Target, PostForm Form, int Attempts, string Source, string Title, Post Post, string? LinkCode = null, long Backlog = 0, MessageEdit? Edit = null)
{
    /// <summary>When the claim runs out and the delivery may be claimed again (the value stored, to the millisecond).</summary>
    public DateTimeOffset LeaseUntil { get; init; }

    /// <summary>The quiet hours of the subscriber it goes to; null for none, and for any other target.</summary>
    public QuietSpan? Quiet { get; init; }

    /// <summary>The forum topic of <see cref="Chat"/> it goes to (message_thread_id); null for the chat itself.</summary>
    public int? ThreadId { get; init; }

    /// <summary>Sent with disable_notification: it arrives without a sound.</summary>
    public bool Silent { get; init; }
}

public sealed partial class Store
{
    /// <summary>
    /// On PostgreSQL, processes claiming at the same moment lock what they take and pass over what another has locked,
    /// instead of waiting for it or taking it too; SQLite has one writer at a time (BEGIN IMMEDIATE) and needs nothing.
    /// </summary>
    private static readonly Sql SkipLockedDeliveries = new(Sqlite: "", Postgres: "FOR UPDATE OF d SKIP LOCKED");

    /// <summary>The claim of <see cref="ClaimDueAsync"/>, as each provider runs it.</summary>
    private static readonly Sql ClaimDueSql = Sql.For(pick =>
        $"""
        SELECT d.id, d.chat, d.target, d.mode, d.attempts,
               COALESCE(i.feed_id, m.kind), COALESCE(i.title, m.key),
               COALESCE(i.post_text, m.text), COALESCE(i.post_caption, m.caption), COALESCE(i.post_photo, m.photo),
               COALESCE(i.post_button_text, m.button_text), COALESCE(i.post_button_url, m.button_url), m.keyboard, l.code,
               CASE WHEN d.item_seq IS NOT NULL AND d.edit_of IS NULL THEN (
                   SELECT COUNT(*) FROM deliveries b
                   WHERE b.chat = d.chat AND b.state = 'pending' AND b.target = d.target AND b.item_seq IS NOT NULL AND b.edit_of IS NULL) ELSE 0 END,
               o.id, o.message_id, o.sent_photo, s.quiet_start, s.quiet_end, d.thread_id, d.silent
        FROM deliveries d
        LEFT JOIN items i ON i.seq = d.item_seq
        LEFT JOIN messages m ON m.seq = d.message_seq
        LEFT JOIN links l ON l.item_seq = d.item_seq
        LEFT JOIN deliveries o ON o.id = d.edit_of
        -- Only a subscriber's chat is a number for sure: the CASE keeps PostgreSQL from casting "@channel".
        LEFT JOIN subscribers s ON s.chat_id = CASE WHEN d.target = @quietTarget THEN CAST(d.chat AS BIGINT) END
        WHERE d.state = 'pending' AND d.priority <= @maxPriority
          AND d.not_before <= @now AND (d.lease_until IS NULL OR d.lease_until <= @now)
          -- The chat's head: nothing of the same or a higher priority is waiting before it in that chat
          -- (a reply may overtake a chat's queued posts; posts never overtake each other).
          AND NOT EXISTS (
              SELECT 1 FROM deliveries e
              WHERE e.chat = d.chat AND e.state = 'pending'
                AND (e.priority < d.priority OR (e.priority = d.priority AND e.id < d.id)))
          -- One target goes first: an item reaches the others once none of its deliveries to @leading is still waiting.
          AND NOT (d.item_seq IS NOT NULL AND d.target <> @leading AND EXISTS (
              SELECT 1 FROM deliveries c WHERE c.item_seq = d.item_seq AND c.target = @leading AND c.state = 'pending'))
        ORDER BY d.priority, d.id
        LIMIT @max
        {pick(SkipLockedDeliveries)};
        """);

    /// <summary>
    /// Claims up to <paramref name="max"/> due deliveries, at most one per chat: each chat's head. While it is
    /// leased nothing queued behind it in that chat can be claimed, which keeps every chat's posts in order.
    /// Across chats, lower priorities go first, and an item's deliveries to <paramref name="leading"/> go before its
    /// deliveries to any other target; <paramref name="maxPriority"/> holds back the higher numbers. The scan walks the
    /// queue index in order and checks each candidate with two index lookups, so its cost does not grow with a fan-out's size.
    /// A delivery to <paramref name="quietTarget"/> comes with its chat's quiet hours (one more index lookup, no query per send).
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, string leading, int maxPriority, string quietTarget, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var claimed = new List<ClaimedDelivery>();
        // As stored (whole milliseconds), so that a later renewal can compare it with the row.
        var leaseUntil = DateTimeOffset.FromUnixTimeMilliseconds(ToUnixMs(now + lease));
        await using (var command = Command(connection, tx,
            _dialect.Pick(ClaimDueSql),
            ("@now", ToUnixMs(now)), ("@max", max), ("@maxPriority", maxPriority), ("@leading", leading), ("@quietTarget", quietTarget)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                claimed.Add(new ClaimedDelivery(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    (PostForm)reader.GetInt32(3),
                    reader.GetInt32(4),
                    reader.GetString(5),
                    reader.GetString(6),
                    new Post(reader.GetString(7), CaptionHtml: NullableString(reader, 8), PhotoUrl: NullableString(reader, 9),
                        ButtonText: NullableString(reader, 10), ButtonUrl: NullableString(reader, 11), Keyboard: KeyboardJson.Parse(NullableString(reader, 12))),
                    NullableString(reader, 13),
                    reader.GetInt64(14),
                    reader.IsDBNull(15) ? null : new MessageEdit(reader.GetInt64(15), reader.GetInt32(16), NullableString(reader, 17)))
                {
                    LeaseUntil = leaseUntil,
                    Quiet = reader.IsDBNull(18) || reader.IsDBNull(19) ? null : new QuietSpan(reader.GetInt32(18), reader.GetInt32(19)),
                    ThreadId = reader.IsDBNull(20) ? null : reader.GetInt32(20),
                    Silent = reader.GetInt64(21) != 0,
                });
            }
        }

        await ExecuteForEachIdAsync(connection, tx, "UPDATE deliveries SET lease_until = @until, claimed_by = @by WHERE id = @id;", claimed.Select(delivery => delivery.Id), ct,
            ("@until", ToUnixMs(leaseUntil)), ("@by", ClaimantId));
        await tx.CommitAsync(ct);
        return claimed;
    }

    /// <summary>
    /// Extends a claim whose holder waited long for its turn to send: true while the lease is still the one it took
    /// (this process's, until <paramref name="heldUntil"/>), false when the delivery was claimed again meanwhile, here
    /// or by another process (or is no longer pending), and must not be sent by this holder.
    /// </summary>
    public async Task<bool> RenewLeaseAsync(long id, DateTimeOffset heldUntil, DateTimeOffset until, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        return await ExecuteAsync(connection, null,
            "UPDATE deliveries SET lease_until = @until WHERE id = @id AND state = 'pending' AND lease_until = @held AND claimed_by = @by;",
            ct, ("@id", id), ("@held", ToUnixMs(heldUntil)), ("@until", ToUnixMs(until)), ("@by", ClaimantId)) == 1;
    }

    /// <summary>When the next pending delivery becomes due, or null when the outbox is empty.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct, int maxPriority = int.MaxValue)
    {
        await using var connection = await OpenAsync(ct);
        var next = await ScalarAsync(connection, null,
            "SELECT MIN(CASE WHEN lease_until > not_before THEN lease_until ELSE not_before END) FROM deliveries WHERE state = 'pending' AND priority <= @maxPriority;", ct,
            ("@maxPriority", maxPriority));
        return next is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(next, CultureInfo.InvariantCulture));
    }

    /// <summary>One delivery confirmed by Telegram as message @messageId showing @photo; a digest confirms several with one message.</summary>
    private const string MarkSentSql =
        "UPDATE deliveries SET state = 'sent', message_id = @messageId, sent_photo = @photo, sent_at = @now, lease_until = NULL, attempts = attempts + 1 WHERE id = @id;";

    /// <param name="shownPhoto">The photo the message shows; null for a text message (the photo decides how it is edited later).</param>
    public Task MarkSentAsync(long id, int messageId, string? shownPhoto, DateTimeOffset now, CancellationToken ct) =>
        UpdateDeliveryAsync(
            MarkSentSql,
            ct, ("@id", id), ("@messageId", messageId), ("@photo", shownPhoto), ("@now", ToUnixMs(now)));

    /// <summary>
    /// An edit Telegram confirmed (or found already made): the edit is done, and the message it changed now shows
    /// <paramref name="shownPhoto"/>.
    /// </summary>
    public async Task MarkEditedAsync(long id, MessageEdit edit, string? shownPhoto, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        await ExecuteAsync(connection, tx, MarkSentSql, ct, ("@id", id), ("@messageId", edit.MessageId), ("@photo", shownPhoto), ("@now", ToUnixMs(now)));
        await ExecuteAsync(connection, tx, "UPDATE deliveries SET sent_photo = @photo WHERE id = @sent;", ct, ("@sent", edit.SentDelivery), ("@photo", shownPhoto));
        await tx.CommitAsync(ct);
    }

    /// <summary>Ends a delivery that is not to be sent after all (an edit whose message was deleted), with the reason.</summary>
    public Task DropAsync(long id, string reason, CancellationToken ct) =>
        UpdateDeliveryAsync(
            "UPDATE deliveries SET state = 'dropped', lease_until = NULL, attempts = attempts + 1, last_error = @reason WHERE id = @id;",
            ct, ("@id", id), ("@reason", reason));

    /// <summary>Puts a delivery back in the queue until <paramref name="notBefore"/>; a failed attempt counts, a 429 does not.</summary>
    public Task RescheduleAsync(long id, DateTimeOffset notBefore, bool countAttempt, string? error, CancellationToken ct) =>
        UpdateDeliveryAsync(
            "UPDATE deliveries SET not_before = @notBefore, lease_until = NULL, attempts = attempts + @count, last_error = COALESCE(@error, last_error) WHERE id = @id;",
            ct, ("@id", id), ("@notBefore", ToUnixMs(notBefore)), ("@count", countAttempt ? 1 : 0), ("@error", error));

    /// <summary>Switches a delivery to a simpler form and makes it due again at once.</summary>
    public Task FallBackAsync(long id, PostForm form, string error, DateTimeOffset now, CancellationToken ct) =>
        UpdateDeliveryAsync(
            "UPDATE deliveries SET mode = @mode, not_before = @now, lease_until = NULL, attempts = attempts + 1, last_error = @error WHERE id = @id;",
            ct, ("@id", id), ("@mode", (int)form), ("@now", ToUnixMs(now)), ("@error", error));

    public Task GiveUpAsync(long id, string reason, CancellationToken ct) =>
        UpdateDeliveryAsync(
            "UPDATE deliveries SET state = 'failed', lease_until = NULL, attempts = attempts + 1, last_error = @reason WHERE id = @id AND state = 'pending';",
            ct, ("@id", id), ("@reason", reason));

    /// <summary>
    /// Releases leases of deliveries that this process claimed but did not send (a clean shutdown, a digest that waits);
    /// a claim another process took meanwhile stays its own.
    /// </summary>
    public Task ReleaseAsync(IEnumerable<long> ids, CancellationToken ct) =>
        UpdateEachAsync("UPDATE deliveries SET lease_until = NULL WHERE id = @id AND state = 'pending' AND claimed_by = @by;", ids, ct, ("@by", ClaimantId));

    /// <summary>
    /// What Telegram may still count against its limits, oldest first, for the rate governor of a process that just
    /// started: every send of the last second, and the last minute's into groups and channels (a private chat's id is
    /// a positive number; their limit is per second). A delivery whose lease still runs may have been on the wire when
    /// the last process died: it counts as sent now; so does one that <paramref name="predecessor"/>, a dead process
    /// whose claims were released at once (<see cref="ReleaseClaimsOfAsync"/>), had claimed.
    /// </summary>
    public async Task<IReadOnlyList<RecentSend>> RecentSendsAsync(DateTimeOffset now, CancellationToken ct, string? predecessor = null) =>
        await QueryAsync(
            """
            SELECT chat, sent_at FROM deliveries
            WHERE state = 'sent' AND sent_at >= @minuteAgo AND (sent_at >= @secondAgo OR substr(chat, 1, 1) NOT IN ('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'))
            UNION ALL
            SELECT chat, @now FROM deliveries WHERE state = 'pending' AND (lease_until > @now OR (lease_until IS NULL AND claimed_by = @predecessor))
            ORDER BY 2;
            """,
            reader => new RecentSend(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))),
            ct, ("@now", ToUnixMs(now)), ("@secondAgo", ToUnixMs(now - TimeSpan.FromSeconds(1))), ("@minuteAgo", ToUnixMs(now - TimeSpan.FromMinutes(1))),
            ("@predecessor", predecessor));

    /// <summary>Counts deliveries by state, for logs, tests and health.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountDeliveriesAsync(CancellationToken ct) =>
        await QueryMapAsync("SELECT state, COUNT(*) FROM deliveries GROUP BY state;", reader => reader.GetInt64(1), ct);

    private async Task UpdateDeliveryAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null, sql, ct, parameters);
    }
}
