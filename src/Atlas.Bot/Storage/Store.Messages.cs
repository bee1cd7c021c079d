using System.Data.Common;
using Atlas.Bot.Posts;

namespace Atlas.Bot.Storage;

/// <summary>An analysis the bot has distributed, for /latest.</summary>
public sealed record DistributedItem(string FeedId, string Title, string? Link, DateTimeOffset? PublishedAt, string Language);

public sealed partial class Store
{
    private static readonly Sql LatestItemsSql = Sql.For(pick =>
        $"""
        SELECT feed_id, title, link, published_at, language FROM items
        WHERE {pick(Position)}(',' || @languages || ',', ',' || language || ',') > 0
          AND (CAST(@chat AS BIGINT) IS NULL
               OR NOT EXISTS (SELECT 1 FROM subscriber_topics c WHERE c.chat_id = CAST(@chat AS BIGINT))
               OR EXISTS (SELECT 1 FROM subscriber_topics c
                          WHERE c.chat_id = CAST(@chat AS BIGINT)
                            AND EXISTS (SELECT 1 FROM item_topics t WHERE t.item_seq = items.seq AND t.topic_key = c.topic_key)))
        ORDER BY COALESCE(published_at, seen_at) DESC, seq DESC
        LIMIT @count;
        """);

    /// <summary>
    /// Queues a message to one chat (an answer, an alert). <paramref name="key"/> (for example "update:123:0") makes it
    /// idempotent: handling the same update again after a crash queues nothing twice. Returns false then.
    /// </summary>
    public async Task<bool> EnqueueMessageAsync(string key, Recipient recipient, Post content, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var seq = await InsertMessageAsync(connection, tx, key, recipient.Target, content, createdBy: null, state: "ready", now, ct);
        if (seq is null)
        {
            return false;
        }

        await ExecuteAsync(connection, tx,
            """
            INSERT INTO deliveries (message_seq, chat, target, priority, state, not_before, created_at)
            VALUES (@seq, @chat, @target, @priority, 'pending', @now, @now);
            """,
            ct, ("@seq", seq), ("@chat", recipient.Chat), ("@target", recipient.Target), ("@priority", recipient.Priority), ("@now", ToUnixMs(now)));
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Stores an announcement that waits for its author's confirmation; returns its number (the same one on a repeat).</summary>
    public async Task<long> CreateBroadcastDraftAsync(string key, string text, long createdBy, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var seq = await InsertMessageAsync(connection, tx, key, "broadcast", Post.Text(text), createdBy, state: "draft", now, ct)
            ?? await ScalarLongAsync(connection, tx, "SELECT seq FROM messages WHERE key = @key;", ct, ("@key", key))
            ?? throw new InvalidOperationException($"Message '{key}' vanished.");
        await tx.CommitAsync(ct);
        return seq;
    }

    /// <summary>
    /// Sends a confirmed announcement through the outbox to <paramref name="audience"/>. Only the draft's author
    /// may confirm it, and only once: returns the number of deliveries queued, or null when there was no
    /// such draft for that author (already sent, or someone else's).
    /// </summary>
    public async Task<int?> ConfirmBroadcastAsync(long seq, long confirmedBy, SubscriberFanOut audience, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var confirmed = await ExecuteAsync(connection, tx,
            "UPDATE messages SET state = 'ready' WHERE seq = @seq AND state = 'draft' AND created_by = @by;",
            ct, ("@seq", seq), ("@by", confirmedBy));
        if (confirmed == 0)
        {
            return null;
        }

        var queued = await FanOutAsync(connection, tx, audience, item: null, message: seq, now, ct);
        await tx.CommitAsync(ct);
        return queued;
    }

    /// <summary>The latest distributed analyses of the given languages, newest first.</summary>
    public Task<IReadOnlyList<DistributedItem>> LatestItemsAsync(IReadOnlyList<string> languages, int count, CancellationToken ct) =>
        LatestItemsAsync(languages, topicsOf: null, count, ct);

    /// <summary>
    /// The latest distributed analyses of the given languages, newest first; with <paramref name="topicsOf"/>, only those
    /// carrying one of the topics that chat chose, if it chose any.
    /// </summary>
    public async Task<IReadOnlyList<DistributedItem>> LatestItemsAsync(IReadOnlyList<string> languages, long? topicsOf, int count, CancellationToken ct) =>
        await QueryAsync(_dialect.Pick(LatestItemsSql),
            reader => new DistributedItem(reader.GetString(0), reader.GetString(1), NullableString(reader, 2), FromUnixMs(reader, 3), reader.GetString(4)),
            ct, ("@languages", string.Join(',', languages)), ("@chat", topicsOf), ("@count", count));

    private static async Task<long?> InsertMessageAsync(
        DbConnection connection, DbTransaction tx, string key, string kind, Post content, long? createdBy, string state, DateTimeOffset now, CancellationToken ct) =>
        await ScalarLongAsync(connection, tx,
            """
            INSERT INTO messages (key, kind, text, caption, photo, button_text, button_url, keyboard, created_by, created_at, state)
            VALUES (@key, @kind, @text, @caption, @photo, @buttonText, @buttonUrl, @keyboard, @by, @now, @state)
            ON CONFLICT (key) DO NOTHING
            RETURNING seq;
            """,
            ct,
            ("@key", key), ("@kind", kind), ("@text", content.TextHtml), ("@caption", content.CaptionHtml), ("@photo", content.PhotoUrl),
            ("@buttonText", content.ButtonText), ("@buttonUrl", content.ButtonUrl), ("@keyboard", KeyboardJson.Serialize(content.Keyboard)),
            ("@by", createdBy), ("@now", ToUnixMs(now)), ("@state", state));
}
