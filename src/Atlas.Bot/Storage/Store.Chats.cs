using System.Data.Common;
using System.Globalization;

namespace Atlas.Bot.Storage;

/// <remarks>
/// <c>chats.kind</c> is no longer read: which chats are channels is the configuration's to say. It is still written
/// ("chat"), because it is NOT NULL and dropping it would break replicas of the release before during a rolling upgrade.
/// </remarks>
public sealed partial class Store
{
    /// <summary>
    /// The bot can no longer post to <paramref name="chat"/>: remember why and park its pending
    /// deliveries (kept, not dropped) so that nothing is retried against it. Returns how many were parked.
    /// </summary>
    public async Task<int> BlockChatAsync(string chat, string reason, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        await ExecuteAsync(connection, tx,
            """
            INSERT INTO chats (chat, kind, blocked_at, block_reason) VALUES (@chat, 'chat', @now, @reason)
            ON CONFLICT (chat) DO UPDATE SET blocked_at = @now, block_reason = @reason;
            """,
            ct, ("@chat", chat), ("@now", ToUnixMs(now)), ("@reason", reason));
        var parked = await ExecuteAsync(connection, tx,
            "UPDATE deliveries SET state = 'parked', lease_until = NULL, last_error = @reason WHERE chat = @chat AND state = 'pending';",
            ct, ("@chat", chat), ("@reason", reason));
        await tx.CommitAsync(ct);
        return parked;
    }

    /// <summary>
    /// Gives configured chats another chance at start (ops may have fixed the bot's rights): their
    /// parked deliveries become pending again, except those of a topic still stopped (<see cref="StopTopicAsync"/>;
    /// <see cref="ReopenTopicsAsync"/> gives those theirs). Returns how many were re-queued.
    /// </summary>
    public async Task<int> UnblockChatsAsync(IEnumerable<string> chats, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var requeued = 0;
        foreach (var configured in chats)
        {
            var chat = await ResolveChatAsync(connection, tx, configured, ct);
            await ExecuteAsync(connection, tx, "UPDATE chats SET blocked_at = NULL, block_reason = NULL WHERE chat = @chat;", ct, ("@chat", chat));
            requeued += await ExecuteAsync(connection, tx,
                """
                UPDATE deliveries SET state = 'pending'
                WHERE chat = @chat AND state = 'parked'
                  AND NOT EXISTS (SELECT 1 FROM forum_topic_stops s WHERE s.chat = deliveries.chat AND s.thread_id = deliveries.thread_id);
                """,
                ct, ("@chat", chat));
        }

        await tx.CommitAsync(ct);
        return requeued;
    }

    /// <summary>
    /// A group became a supergroup: remember the new id and move its pending deliveries and its subscription there. When
    /// the supergroup subscribed on its own before this was known, its own subscription decides what it gets: the group's
    /// ends ("migrated") and the posts waiting for it are dropped, instead of reaching the supergroup a second time.
    /// </summary>
    /// <param name="subscriptionTarget">The target of a subscription's deliveries (those dropped when it ends).</param>
    public async Task MigrateChatAsync(string from, string to, string subscriptionTarget, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        if (long.TryParse(from, CultureInfo.InvariantCulture, out var fromId)
            && await ScalarAsync(connection, tx, "SELECT 1 FROM subscribers WHERE chat_id = CAST(@to AS BIGINT);", ct, ("@to", to)) is not null)
        {
            await EndSubscriptionAsync(connection, tx, fromId, "migrated", subscriptionTarget, now, ct);
        }

        await ExecuteAsync(connection, tx,
            """
            INSERT INTO chats (chat, kind, migrated_to) VALUES (@from, 'chat', @to)
            ON CONFLICT (chat) DO UPDATE SET migrated_to = @to;
            INSERT INTO chats (chat, kind) VALUES (@to, 'chat') ON CONFLICT (chat) DO NOTHING;
            UPDATE deliveries SET chat = @to, lease_until = NULL WHERE chat = @from AND state IN ('pending', 'parked');
            UPDATE subscribers SET chat_id = CAST(@to AS BIGINT)
            WHERE chat_id = CAST(@from AS BIGINT) AND NOT EXISTS (SELECT 1 FROM subscribers WHERE chat_id = CAST(@to AS BIGINT));
            """,
            ct, ("@from", from), ("@to", to));
        await tx.CommitAsync(ct);
    }

    /// <summary>The blocked chats with the reason, for logs and admins.</summary>
    public async Task<IReadOnlyDictionary<string, string>> BlockedChatsAsync(CancellationToken ct) =>
        await QueryMapAsync("SELECT chat, block_reason FROM chats WHERE blocked_at IS NOT NULL;", reader => NullableString(reader, 1) ?? "", ct);

    /// <summary>Follows migrations: a configured group id that became a supergroup maps to its new id.</summary>
    private static async Task<string> ResolveChatAsync(DbConnection connection, DbTransaction tx, string chat, CancellationToken ct)
    {
        // Bounded: a migration chain longer than a few steps would be a bug, not a real history.
        for (var hop = 0; hop < 8; hop++)
        {
            if (await ScalarAsync(connection, tx, "SELECT migrated_to FROM chats WHERE chat = @chat;", ct, ("@chat", chat)) is not string next)
            {
                break;
            }

            chat = next;
        }

        return chat;
    }
}
