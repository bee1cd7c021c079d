using System.Text.Json;

namespace Atlas.Bot.Storage;

/// <summary>A topic as the feeds last wrote it, with how many items carried it.</summary>
/// <param name="Key">What the store compares and a subscriber's choice holds (Feeds.TopicKey).</param>
/// <param name="Shown">The newest item's spelling of it.</param>
public sealed record TopicCount(string Key, string Shown, long Items);

/// <summary>How many active subscribers chose a topic.</summary>
public sealed record TopicSubscribers(string Key, string Shown, long Subscribers);

public sealed partial class Store
{
    // One pass over the window: each row of a topic counts, and the newest row (highest item seq) names it.
    private static readonly Sql TopicsSinceSql = Sql.For(pick =>
        $"""
        SELECT topic_key, topic, items FROM (
            SELECT t.topic_key, t.topic,
                   COUNT(*) OVER (PARTITION BY t.topic_key) AS items,
                   ROW_NUMBER() OVER (PARTITION BY t.topic_key ORDER BY t.item_seq DESC) AS newest
            FROM item_topics t JOIN items i ON i.seq = t.item_seq
            WHERE i.seen_at >= @since AND i.language IN ({pick(Sql.JsonTexts("@languages"))})
        ) ranked
        WHERE newest = 1
        ORDER BY items DESC, topic_key;
        """);

    /// <summary>
    /// The topics of the items in <paramref name="languages"/> seen since <paramref name="since"/>, most frequent first
    /// (then by key, so the order is stable), each shown as its newest item spells it.
    /// </summary>
    public Task<List<TopicCount>> TopicsSinceAsync(IReadOnlyList<string> languages, DateTimeOffset since, CancellationToken ct) =>
        QueryAsync(_dialect.Pick(TopicsSinceSql), reader => new TopicCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), ct,
            ("@languages", JsonSerializer.Serialize(languages)), ("@since", ToUnixMs(since)));

    /// <summary>
    /// The topics a chat chose (none: everything), each shown as the newest item ever stored spells it, or by its key when
    /// no item carries it any more.
    /// </summary>
    public Task<List<TopicCount>> ChosenTopicsAsync(long chatId, CancellationToken ct) =>
        QueryAsync(
            """
            SELECT s.topic_key,
                   COALESCE((SELECT t.topic FROM item_topics t WHERE t.topic_key = s.topic_key ORDER BY t.item_seq DESC LIMIT 1), s.topic_key)
            FROM subscriber_topics s WHERE s.chat_id = @chat ORDER BY s.topic_key;
            """,
            reader => new TopicCount(reader.GetString(0), reader.GetString(1), 0), ct, ("@chat", chatId));

    /// <summary>Chooses a topic for a chat or drops it; setting what is already set changes nothing.</summary>
    public async Task SetTopicAsync(long chatId, string topicKey, bool chosen, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            chosen
                ? "INSERT INTO subscriber_topics (chat_id, topic_key) VALUES (@chat, @key) ON CONFLICT (chat_id, topic_key) DO NOTHING;"
                : "DELETE FROM subscriber_topics WHERE chat_id = @chat AND topic_key = @key;",
            ct, ("@chat", chatId), ("@key", topicKey));
    }

    /// <summary>Drops every topic a chat chose: it receives everything again.</summary>
    public async Task ClearTopicsAsync(long chatId, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null, "DELETE FROM subscriber_topics WHERE chat_id = @chat;", ct, ("@chat", chatId));
    }

    /// <summary>The <paramref name="top"/> topics most chosen by active subscribers, most chosen first.</summary>
    public Task<List<TopicSubscribers>> TopicSubscriberCountsAsync(int top, CancellationToken ct) =>
        QueryAsync(
            """
            SELECT c.topic_key,
                   COALESCE((SELECT t.topic FROM item_topics t WHERE t.topic_key = c.topic_key ORDER BY t.item_seq DESC LIMIT 1), c.topic_key),
                   c.chats
            FROM (
                SELECT s.topic_key, COUNT(*) AS chats
                FROM subscriber_topics s JOIN subscribers u ON u.chat_id = s.chat_id
                WHERE u.active = 1
                GROUP BY s.topic_key
                ORDER BY COUNT(*) DESC, s.topic_key
                LIMIT @top
            ) c
            ORDER BY c.chats DESC, c.topic_key;
            """,
            reader => new TopicSubscribers(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)), ct, ("@top", top));

    /// <summary>How many active subscribers chose no topic, and so receive everything of their languages.</summary>
    public async Task<long> EverythingSubscribersAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await ScalarLongAsync(connection, null,
            "SELECT COUNT(*) FROM subscribers u WHERE u.active = 1 AND NOT EXISTS (SELECT 1 FROM subscriber_topics s WHERE s.chat_id = u.chat_id);",
            ct) ?? 0;
    }
}
