using System.Data.Common;
using Atlas.Bot.Posts;

namespace Atlas.Bot.Storage;

/// <summary>An item as the store keeps it: enough to list, count and re-render it.</summary>
/// <param name="Source">A fingerprint of what the feed said of the item (its post is rendered from that): a correction is
/// looked for only when it changes.</param>
/// <param name="Topics">The item's topics, each key once (the caller computes the keys); none when null.</param>
public sealed record ItemRecord(
    string FeedId,
    string Key,
    string Title,
    string? Link,
    DateTimeOffset? PublishedAt,
    string? Author,
    string Language,
    string? Source = null,
    IReadOnlyList<ItemTopic>? Topics = null);

/// <summary>One topic of an item: the key the store compares, and the topic as the feed wrote it, shown.</summary>
public sealed record ItemTopic(string Key, string Shown);

/// <summary>A chat a new delivery goes to, with the target and priority the caller gave it (Delivery decides both).</summary>
/// <param name="ThreadId">The forum topic of <paramref name="Chat"/> it goes to (message_thread_id); null for the chat itself.</param>
/// <param name="Silent">Sent with disable_notification.</param>
public sealed record Recipient(string Chat, string Target, int Priority, int? ThreadId = null, bool Silent = false);

/// <summary>
/// Deliveries to the active subscribers, as one target and priority: those who read <paramref name="Language"/>,
/// or all of them when it is null; with <paramref name="ChosenTopics"/>, of those who chose topics (subscriber_topics)
/// only the ones who chose one of the item's. Who gets what is the caller's rule; this says only how to select them.
/// </summary>
public sealed record SubscriberFanOut(string Target, int Priority, string? Language, bool ChosenTopics = false);

public sealed partial class Store
{
    private static readonly Sql KnownItemKeysSql = Sql.For(pick =>
        $"SELECT item_key FROM items WHERE feed_id = @feed AND item_key IN ({pick(Sql.JsonTexts("@keys"))});");

    /// <summary>An item's or a message's deliveries to the active subscribers (of one language, unless it is null).</summary>
    private static readonly Sql FanOutSql = Sql.For(pick =>
        $"""
        INSERT INTO deliveries (item_seq, message_seq, chat, target, priority, state, not_before, created_at)
        SELECT CAST(@item AS BIGINT), CAST(@message AS BIGINT), CAST(chat_id AS TEXT), @target, @priority, 'pending', @now, @now
        FROM subscribers s
        WHERE active = 1 AND (CAST(@language AS TEXT) IS NULL OR {pick(Position)}(',' || languages || ',', ',' || @language || ',') > 0)
          AND (@topics = 0
               OR NOT EXISTS (SELECT 1 FROM subscriber_topics c WHERE c.chat_id = s.chat_id)
               OR EXISTS (SELECT 1 FROM subscriber_topics c
                          WHERE c.chat_id = s.chat_id
                            AND EXISTS (SELECT 1 FROM item_topics t WHERE t.item_seq = CAST(@item AS BIGINT) AND t.topic_key = c.topic_key)))
        ORDER BY chat_id;
        """);

    /// <summary>An item's topics, from a JSON array of [key, shown] pairs.</summary>
    private static readonly Sql InsertTopicsSql = new(
        Sqlite:
        """
        INSERT INTO item_topics (item_seq, topic_key, topic)
        SELECT @seq, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(@topics) WHERE true
        ON CONFLICT (item_seq, topic_key) DO NOTHING;
        """,
        Postgres:
        """
        INSERT INTO item_topics (item_seq, topic_key, topic)
        SELECT @seq, pair ->> 0, pair ->> 1 FROM jsonb_array_elements(CAST(@topics AS jsonb)) AS pair
        ON CONFLICT (item_seq, topic_key) DO NOTHING;
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
    /// Records a new item and, in the same transaction, its pending deliveries: one per chat in
    /// <paramref name="chats"/>, then the <paramref name="subscribers"/>' (the outbox). A crash before the commit
    /// leaves the item unseen (the next poll finds it again); after it, the deliveries exist and the dispatcher will
    /// send them. Returns false when the item was already known.
    /// </summary>
    public async Task<bool> RecordItemAsync(ItemRecord item, Post post, IReadOnlyList<Recipient> chats, SubscriberFanOut? subscribers, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var seq = await InsertItemAsync(connection, tx, item, post, now, ct);
        if (seq is null)
        {
            return false;
        }

        await InsertTopicsAsync(connection, tx, seq.Value, item.Topics, ct);

        await ExecuteAsync(connection, tx, "INSERT INTO links (code, item_seq, created_at) VALUES (@code, @seq, @now);", ct,
            ("@code", LinkCodes.New()), ("@seq", seq), ("@now", ToUnixMs(now)));

        foreach (var recipient in chats)
        {
            var chat = await ResolveChatAsync(connection, tx, recipient.Chat, ct);
            // A blocked chat's post is parked at once (kept for when the rights are fixed, see BlockChatAsync), and so is
            // a stopped topic's (StopTopicAsync).
            await ExecuteAsync(connection, tx,
                """
                INSERT INTO chats (chat, kind) VALUES (@chat, 'chat') ON CONFLICT (chat) DO NOTHING;
                INSERT INTO deliveries (item_seq, chat, target, priority, state, not_before, created_at, thread_id, silent)
                VALUES (@seq, @chat, @target, @priority,
                        CASE WHEN EXISTS (SELECT 1 FROM chats WHERE chat = @chat AND blocked_at IS NOT NULL)
                               OR EXISTS (SELECT 1 FROM forum_topic_stops WHERE chat = @chat AND thread_id = @thread) THEN 'parked' ELSE 'pending' END,
                        @now, @now, @thread, @silent);
                """,
                ct,
                ("@seq", seq), ("@chat", chat), ("@target", recipient.Target), ("@priority", recipient.Priority), ("@now", ToUnixMs(now)),
                ("@thread", recipient.ThreadId), ("@silent", recipient.Silent ? 1 : 0));
        }

        // After the named chats: the ids order the outbox (the priorities order it anyway).
        if (subscribers is not null)
        {
            await FanOutAsync(connection, tx, subscribers, item: seq, message: null, now, ct);
        }

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
            if (await InsertItemAsync(connection, tx, item, post: null, now, ct) is { } seq)
            {
                await InsertTopicsAsync(connection, tx, seq, item.Topics, ct);
            }
        }

        await tx.CommitAsync(ct);
    }

    private static async Task<long?> InsertItemAsync(DbConnection connection, DbTransaction tx, ItemRecord item, Post? post, DateTimeOffset now, CancellationToken ct) =>
        await ScalarLongAsync(connection, tx,
            """
            INSERT INTO items (feed_id, item_key, title, link, published_at, author, language,
                               post_text, post_caption, post_photo, post_button_text, post_button_url, distributed, seen_at, source)
            VALUES (@feed, @key, @title, @link, @published, @author, @language,
                    @text, @caption, @photo, @buttonText, @buttonUrl, @distributed, @now, @source)
            ON CONFLICT (feed_id, item_key) DO NOTHING
            RETURNING seq;
            """,
            ct,
            ("@feed", item.FeedId), ("@key", item.Key), ("@title", item.Title), ("@link", item.Link),
            ("@published", item.PublishedAt is { } published ? ToUnixMs(published) : null),
            ("@author", item.Author), ("@language", item.Language),
            ("@text", post?.TextHtml), ("@caption", post?.CaptionHtml), ("@photo", post?.PhotoUrl),
            ("@buttonText", post?.ButtonText), ("@buttonUrl", post?.ButtonUrl),
            ("@distributed", post is null ? 0 : 1), ("@now", ToUnixMs(now)), ("@source", item.Source));

    /// <summary>The item's topics, all in one statement (a feed may give an item hundreds); keys already there are kept.</summary>
    private async Task InsertTopicsAsync(DbConnection connection, DbTransaction tx, long seq, IReadOnlyList<ItemTopic>? topics, CancellationToken ct)
    {
        if (topics is not { Count: > 0 })
        {
            return;
        }

        await ExecuteAsync(connection, tx, _dialect.Pick(InsertTopicsSql), ct,
            ("@seq", seq), ("@topics", System.Text.Json.JsonSerializer.Serialize(topics.Select(topic => new[] { topic.Key, topic.Shown }))));
    }

    private Task<int> FanOutAsync(DbConnection connection, DbTransaction tx, SubscriberFanOut fanOut, long? item, long? message, DateTimeOffset now, CancellationToken ct) =>
        ExecuteAsync(connection, tx, _dialect.Pick(FanOutSql), ct,
            ("@item", item), ("@message", message), ("@target", fanOut.Target), ("@priority", fanOut.Priority),
            ("@language", fanOut.Language), ("@topics", fanOut.ChosenTopics ? 1 : 0), ("@now", ToUnixMs(now)));
}
