using System.Data.Common;

namespace Atlas.Bot.Storage;

/// <summary>An item as the store keeps it: enough to list, count and re-render it.</summary>
public sealed record ItemRecord(
    string FeedId,
    string Key,
    string Title,
    string? Link,
    DateTimeOffset? PublishedAt,
    string? Author,
    string Language);

/// <summary>A rendered post (or reply), stored once and sent to every target of it.</summary>
/// <param name="Keyboard">Inline keyboard as JSON (replies with callback buttons); null for posts.</param>
public sealed record StoredPost(string Text, string? Caption, string? Photo, string? ButtonText, string? ButtonUrl, string? Keyboard = null);

/// <summary>Who a delivery is for; it decides what a refusal from Telegram means.</summary>
public static class DeliveryTargets
{
    /// <summary>A configured channel or group: a refusal parks its posts until the rights are fixed.</summary>
    public const string Channel = "channel";

    /// <summary>A subscriber (private chat or group): a refusal unsubscribes them and drops their posts.</summary>
    public const string Subscriber = "subscriber";

    /// <summary>An answer to someone's command: a refusal drops it.</summary>
    public const string Reply = "reply";
}

/// <summary>Lower goes first: people waiting for an answer, then channels, then the subscriber fan-out.</summary>
public static class DeliveryPriorities
{
    public const int Reply = 0;
    public const int Channel = 1;
    public const int Subscriber = 2;
}

public sealed partial class Store
{
    private static readonly Sql KnownItemKeysSql = new(
        Sqlite: "SELECT item_key FROM items WHERE feed_id = @feed AND item_key IN (SELECT value FROM json_each(@keys));",
        Postgres: "SELECT item_key FROM items WHERE feed_id = @feed AND item_key IN (SELECT jsonb_array_elements_text(CAST(@keys AS jsonb)));");

    /// <summary>An item's deliveries to the active subscribers of its language.</summary>
    private static readonly Sql QueueSubscribersSql = Sql.For(pick =>
        $"""
        INSERT INTO deliveries (item_seq, chat, target, priority, state, not_before, created_at)
        SELECT @seq, CAST(chat_id AS TEXT), 'subscriber', 2, 'pending', @now, @now
        FROM subscribers
        WHERE active = 1 AND {pick(Position)}(',' || languages || ',', ',' || @language || ',') > 0
        ORDER BY chat_id;
        """);

    /// <summary>Which of <paramref name="keys"/> the feed has already seen.</summary>
    public async Task<IReadOnlySet<string>> KnownItemKeysAsync(string feedId, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        // One query for the whole feed rather than one per item: the keys travel as a JSON array.
        var known = await QueryAsync(
            _dialect.Pick(KnownItemKeysSql),
            reader => reader.GetString(0),
            ct, ("@feed", feedId), ("@keys", System.Text.Json.JsonSerializer.Serialize(keys)));
        return new HashSet<string>(known, StringComparer.Ordinal);
    }

    /// <summary>
    /// Records a new item and, in the same transaction, one pending delivery per channel and per active
    /// subscriber of the item's language: the outbox. A crash before the commit leaves the item unseen
    /// (the next poll finds it again); after it, the deliveries exist and the dispatcher will send them.
    /// Returns false when the item was already known.
    /// </summary>
    public async Task<bool> RecordItemAsync(ItemRecord item, StoredPost post, IReadOnlyList<string> channels, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var seq = await InsertItemAsync(connection, tx, item, post, now, ct);
        if (seq is null)
        {
            return false;
        }

        await ExecuteAsync(connection, tx, "INSERT INTO links (code, item_seq, created_at) VALUES (@code, @seq, @now);", ct,
            ("@code", LinkCodes.New()), ("@seq", seq), ("@now", ToUnixMs(now)));

        foreach (var channel in channels)
        {
            var chat = await ResolveChatAsync(connection, tx, channel, ct);
            // A blocked channel's post is parked at once (kept for when the rights are fixed, see BlockChatAsync).
            await ExecuteAsync(connection, tx,
                """
                INSERT INTO chats (chat, kind) VALUES (@chat, 'channel') ON CONFLICT (chat) DO NOTHING;
                INSERT INTO deliveries (item_seq, chat, target, priority, state, not_before, created_at)
                VALUES (@seq, @chat, 'channel', 1,
                        CASE WHEN EXISTS (SELECT 1 FROM chats WHERE chat = @chat AND blocked_at IS NOT NULL) THEN 'parked' ELSE 'pending' END,
                        @now, @now);
                """,
                ct,
                ("@seq", seq), ("@chat", chat), ("@now", ToUnixMs(now)));
        }

        // Subscribers after channels: the ids order the outbox, and the priority keeps channels ahead anyway.
        await ExecuteAsync(connection, tx, _dialect.Pick(QueueSubscribersSql), ct,
            ("@seq", seq), ("@language", item.Language), ("@now", ToUnixMs(now)));

        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Records items as seen without distributing them (a feed's first poll).</summary>
    public async Task RecordSeenItemsAsync(IEnumerable<ItemRecord> items, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        foreach (var item in items)
        {
            await InsertItemAsync(connection, tx, item, post: null, now, ct);
        }

        await tx.CommitAsync(ct);
    }

    private static async Task<long?> InsertItemAsync(DbConnection connection, DbTransaction tx, ItemRecord item, StoredPost? post, DateTimeOffset now, CancellationToken ct) =>
        await ScalarLongAsync(connection, tx,
            """
            INSERT INTO items (feed_id, item_key, title, link, published_at, author, language,
                               post_text, post_caption, post_photo, post_button_text, post_button_url, distributed, seen_at)
            VALUES (@feed, @key, @title, @link, @published, @author, @language,
                    @text, @caption, @photo, @buttonText, @buttonUrl, @distributed, @now)
            ON CONFLICT (feed_id, item_key) DO NOTHING
            RETURNING seq;
            """,
            ct,
            ("@feed", item.FeedId), ("@key", item.Key), ("@title", item.Title), ("@link", item.Link),
            ("@published", item.PublishedAt is { } published ? ToUnixMs(published) : null),
            ("@author", item.Author), ("@language", item.Language),
            ("@text", post?.Text), ("@caption", post?.Caption), ("@photo", post?.Photo),
            ("@buttonText", post?.ButtonText), ("@buttonUrl", post?.ButtonUrl),
            ("@distributed", post is null ? 0 : 1), ("@now", ToUnixMs(now)));
}
