namespace Atlas.Bot.Storage;

/// <summary>A forum topic the bot stopped posting to, with Telegram's reason.</summary>
/// <param name="Chat">The chat as its deliveries name it ("@username" or the numeric id).</param>
public sealed record StoppedTopic(string Chat, int ThreadId, string Reason, DateTimeOffset StoppedAt);

/// <summary>A forum topic's name as the bot last saw it in its group's updates.</summary>
/// <param name="Username">The group's public username (without "@") when it had one.</param>
public sealed record ForumTopicName(long ChatId, string? Username, int ThreadId, string Name);

public sealed partial class Store
{
    /// <summary>
    /// Telegram refuses topic <paramref name="thread"/> of <paramref name="chat"/> (deleted or closed): remember it and park
    /// the deliveries waiting for that topic (kept, not dropped), edits included; the chat's other topics, and the chat
    /// itself, go on. New posts for the topic are parked as they are queued. Returns how many were parked.
    /// </summary>
    public async Task<int> StopTopicAsync(string chat, int thread, string reason, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        await ExecuteAsync(connection, tx,
            """
            INSERT INTO forum_topic_stops (chat, thread_id, stopped_at, reason) VALUES (@chat, @thread, @now, @reason)
            ON CONFLICT (chat, thread_id) DO UPDATE SET stopped_at = @now, reason = @reason;
            """,
            ct, ("@chat", chat), ("@thread", thread), ("@now", ToUnixMs(now)), ("@reason", reason));
        var parked = await ExecuteAsync(connection, tx,
            "UPDATE deliveries SET state = 'parked', lease_until = NULL, last_error = @reason WHERE chat = @chat AND thread_id = @thread AND state = 'pending';",
            ct, ("@chat", chat), ("@thread", thread), ("@reason", reason));
        await tx.CommitAsync(ct);
        return parked;
    }

    /// <summary>
    /// Gives stopped topics another chance (at start for the configured ones; when the group says a topic was reopened):
    /// each is no longer stopped, and its parked deliveries are pending again, unless its chat is blocked. Returns how
    /// many were re-queued.
    /// </summary>
    public async Task<int> ReopenTopicsAsync(IEnumerable<(string Chat, int Thread)> topics, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var requeued = 0;
        foreach (var (named, thread) in topics)
        {
            // As its deliveries name the chat: "@Atlas_Forum" in the configuration is Telegram's "atlas_forum".
            var resolved = await ResolveChatAsync(connection, tx, named, ct);
            if (await ScalarAsync(connection, tx, "SELECT chat FROM forum_topic_stops WHERE lower(chat) = lower(@chat) AND thread_id = @thread;", ct,
                    ("@chat", resolved), ("@thread", thread)) is not string chat)
            {
                continue;
            }

            await ExecuteAsync(connection, tx, "DELETE FROM forum_topic_stops WHERE chat = @chat AND thread_id = @thread;", ct, ("@chat", chat), ("@thread", thread));

            requeued += await ExecuteAsync(connection, tx,
                """
                UPDATE deliveries SET state = 'pending'
                WHERE chat = @chat AND thread_id = @thread AND state = 'parked'
                  AND NOT EXISTS (SELECT 1 FROM chats WHERE chats.chat = @chat AND blocked_at IS NOT NULL);
                """,
                ct, ("@chat", chat), ("@thread", thread));
        }

        await tx.CommitAsync(ct);
        return requeued;
    }

    /// <summary>The stopped topics, for /channels.</summary>
    public async Task<IReadOnlyList<StoppedTopic>> StoppedTopicsAsync(CancellationToken ct) =>
        await QueryAsync(
            "SELECT chat, thread_id, reason, stopped_at FROM forum_topic_stops ORDER BY chat, thread_id;",
            reader => new StoppedTopic(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))),
            ct);

    /// <summary>
    /// Remembers what topic <paramref name="thread"/> of a forum is called: with <paramref name="replace"/> its name now (it
    /// replaces what was known), else a name to keep only while none is known.
    /// </summary>
    public async Task RecordForumTopicNameAsync(long chatId, string? username, int thread, string name, bool replace, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            replace
                ? """
                  INSERT INTO forum_topic_names (chat_id, thread_id, username, name, updated_at) VALUES (@chat, @thread, @username, @name, @now)
                  ON CONFLICT (chat_id, thread_id) DO UPDATE SET username = @username, name = @name, updated_at = @now;
                  """
                : """
                  INSERT INTO forum_topic_names (chat_id, thread_id, username, name, updated_at) VALUES (@chat, @thread, @username, @name, @now)
                  ON CONFLICT (chat_id, thread_id) DO NOTHING;
                  """,
            ct, ("@chat", chatId), ("@thread", thread), ("@username", username), ("@name", name), ("@now", ToUnixMs(now)));
    }

    /// <summary>Every topic name the bot has seen, for /channels (a handful per forum).</summary>
    public async Task<IReadOnlyList<ForumTopicName>> ForumTopicNamesAsync(CancellationToken ct) =>
        await QueryAsync(
            "SELECT chat_id, username, thread_id, name FROM forum_topic_names ORDER BY chat_id, thread_id;",
            reader => new ForumTopicName(reader.GetInt64(0), NullableString(reader, 1), reader.GetInt32(2), reader.GetString(3)),
            ct);
}
