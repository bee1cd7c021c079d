using System.Data.Common;

namespace Atlas.Bot.Storage;

/// <summary>A chat the bot is a member of, as the last my_chat_member update described it.</summary>
public sealed record Membership(string Chat, string? Title, string Type, string Status, bool CanPost, DateTimeOffset UpdatedAt);

/// <summary>A delivery that gave up, for /failed.</summary>
public sealed record FailedDelivery(long Id, string Chat, string Target, string Title, string? Error, int Attempts);

public sealed partial class Store
{
    public async Task<string?> GetStateAsync(string key, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await ScalarAsync(connection, null, "SELECT value FROM bot_state WHERE key = @key;", ct, ("@key", key)) as string;
    }

    public async Task SetStateAsync(string key, string value, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await SetStateAsync(connection, null, key, value, ct);
    }

    /// <summary>How many items each feed has seen (posted or recorded as history).</summary>
    public async Task<IReadOnlyDictionary<string, long>> ItemsSeenAsync(CancellationToken ct) =>
        await QueryMapAsync("SELECT feed_id, COUNT(*) FROM items GROUP BY feed_id;", reader => reader.GetInt64(1), ct);

    /// <summary>Remembers what a my_chat_member update said about the bot in a group or channel.</summary>
    public async Task RecordMembershipAsync(Membership membership, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            """
            INSERT INTO memberships (chat, title, type, status, can_post, updated_at) VALUES (@chat, @title, @type, @status, @canPost, @at)
            ON CONFLICT (chat) DO UPDATE SET title = @title, type = @type, status = @status, can_post = @canPost, updated_at = @at;
            """,
            ct,
            ("@chat", membership.Chat), ("@title", membership.Title), ("@type", membership.Type), ("@status", membership.Status),
            ("@canPost", membership.CanPost ? 1 : 0), ("@at", ToUnixMs(membership.UpdatedAt)));
    }

    public async Task<IReadOnlyList<Membership>> MembershipsAsync(CancellationToken ct) =>
        await QueryAsync(
            "SELECT chat, title, type, status, can_post, updated_at FROM memberships ORDER BY type, title;",
            reader => new Membership(reader.GetString(0), NullableString(reader, 1), reader.GetString(2), reader.GetString(3),
                reader.GetInt64(4) != 0, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))),
            ct);

    /// <summary>Writes one line of the audit trail; <paramref name="key"/> keeps a re-handled update from writing it twice.</summary>
    public async Task AuditAsync(string key, long userId, string action, string? detail, bool allowed, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            "INSERT INTO audit (key, at, user_id, action, detail, allowed) VALUES (@key, @at, @user, @action, @detail, @allowed) ON CONFLICT (key) DO NOTHING;",
            ct, ("@key", key), ("@at", ToUnixMs(now)), ("@user", userId), ("@action", action), ("@detail", detail), ("@allowed", allowed ? 1 : 0));
    }

    /// <summary>Deliveries that gave up, newest first.</summary>
    public async Task<IReadOnlyList<FailedDelivery>> FailedDeliveriesAsync(int max, CancellationToken ct) =>
        await QueryAsync(
            """
            SELECT d.id, d.chat, d.target, COALESCE(i.title, m.key), d.last_error, d.attempts
            FROM deliveries d LEFT JOIN items i ON i.seq = d.item_seq LEFT JOIN messages m ON m.seq = d.message_seq
            WHERE d.state = 'failed' ORDER BY d.id DESC LIMIT @max;
            """,
            reader => new FailedDelivery(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), NullableString(reader, 4), reader.GetInt32(5)),
            ct, ("@max", max));

    /// <summary>Queues a delivery that gave up once more, with fresh attempts; false when no such failed delivery exists.</summary>
    public async Task<bool> RetryDeliveryAsync(long id, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        return await ExecuteAsync(connection, null,
            "UPDATE deliveries SET state = 'pending', attempts = 0, mode = 0, not_before = @now, lease_until = NULL WHERE id = @id AND state = 'failed';",
            ct, ("@id", id), ("@now", ToUnixMs(now))) == 1;
    }

    private static Task<int> SetStateAsync(DbConnection connection, DbTransaction? tx, string key, string value, CancellationToken ct) =>
        ExecuteAsync(connection, tx,
            "INSERT INTO bot_state (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = @value;",
            ct, ("@key", key), ("@value", value));
}
