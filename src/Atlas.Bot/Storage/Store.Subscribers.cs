using System.Data.Common;
using System.Globalization;

namespace Atlas.Bot.Storage;

/// <summary>Someone who receives the analyses privately, or a group that subscribed.</summary>
/// <param name="Kind">private, group or supergroup.</param>
/// <param name="UiLanguage">The language the bot speaks to them (az, en or ru).</param>
/// <param name="Languages">The feed languages they receive.</param>
public sealed record Subscriber(
    long ChatId,
    string Kind,
    string? Title,
    string UiLanguage,
    IReadOnlyList<string> Languages,
    bool Active,
    DateTimeOffset JoinedAt,
    DateTimeOffset? LeftAt,
    string? LeftReason);

public enum SubscribeOutcome
{
    New,
    Reactivated,
    AlreadyActive,
}

/// <summary>Subscriber numbers for one feed language.</summary>
public sealed record SubscriberCounts(string Language, long Active, long Inactive, long NewLastDay);

public sealed partial class Store
{
    private static readonly Sql SubscriberCountsSql = Sql.For(pick =>
        $"""
        SELECT COUNT(CASE WHEN active = 1 THEN 1 END), COUNT(CASE WHEN active = 0 THEN 1 END), COUNT(CASE WHEN joined_at >= @since THEN 1 END)
        FROM subscribers WHERE {pick(Position)}(',' || languages || ',', ',' || @language || ',') > 0;
        """);

    /// <summary>
    /// Subscribes a chat, or reactivates one that had stopped or blocked the bot (its languages are kept).
    /// </summary>
    public async Task<SubscribeOutcome> SubscribeAsync(long chatId, string kind, string? title, string uiLanguage, IReadOnlyList<string> languages, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var active = await ScalarLongAsync(connection, tx, "SELECT active FROM subscribers WHERE chat_id = @chat;", ct, ("@chat", chatId));
        var outcome = active switch
        {
            null => SubscribeOutcome.New,
            0 => SubscribeOutcome.Reactivated,
            _ => SubscribeOutcome.AlreadyActive,
        };
        await ExecuteAsync(connection, tx,
            """
            INSERT INTO subscribers (chat_id, kind, title, ui_language, languages, active, joined_at, active_since)
            VALUES (@chat, @kind, @title, @ui, @languages, 1, @now, @now)
            ON CONFLICT (chat_id) DO UPDATE SET
                kind = @kind, title = COALESCE(@title, subscribers.title), ui_language = @ui, active = 1,
                active_since = CASE WHEN subscribers.active = 1 THEN subscribers.active_since ELSE @now END,
                left_at = NULL, left_reason = NULL;
            """,
            ct,
            ("@chat", chatId), ("@kind", kind), ("@title", title), ("@ui", uiLanguage), ("@languages", string.Join(',', languages)), ("@now", ToUnixMs(now)));
        if (outcome != SubscribeOutcome.AlreadyActive)
        {
            await RecordSubscriberEventAsync(connection, tx, chatId, "joined", now, ct);
        }

        await tx.CommitAsync(ct);
        return outcome;
    }

    /// <summary>
    /// Ends a subscription (kept as inactive: history and counts stay) and drops what is still waiting for it: the
    /// chat's pending deliveries of <paramref name="subscriptionTarget"/>. Returns how many were dropped, or null when
    /// the chat was not an active subscriber.
    /// </summary>
    /// <param name="reason">stopped (by /stop), blocked (403) or kicked (removed from a group).</param>
    public async Task<int?> DeactivateAsync(long chatId, string reason, string subscriptionTarget, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var dropped = await EndSubscriptionAsync(connection, tx, chatId, reason, subscriptionTarget, now, ct);
        await tx.CommitAsync(ct);
        return dropped;
    }

    /// <summary>Ends an active subscription inside <paramref name="tx"/>; see <see cref="DeactivateAsync"/>.</summary>
    private static async Task<int?> EndSubscriptionAsync(DbConnection connection, DbTransaction tx, long chatId, string reason, string subscriptionTarget, DateTimeOffset now, CancellationToken ct)
    {
        var changed = await ExecuteAsync(connection, tx,
            "UPDATE subscribers SET active = 0, left_at = @now, left_reason = @reason WHERE chat_id = @chat AND active = 1;",
            ct, ("@chat", chatId), ("@now", ToUnixMs(now)), ("@reason", reason));
        if (changed == 0)
        {
            return null;
        }

        await RecordSubscriberEventAsync(connection, tx, chatId, "left", now, ct);
        var dropped = await ExecuteAsync(connection, tx,
            "UPDATE deliveries SET state = 'dropped', lease_until = NULL, last_error = @reason WHERE chat = @chat AND target = @target AND state = 'pending';",
            ct, ("@chat", chatId.ToString(CultureInfo.InvariantCulture)), ("@target", subscriptionTarget), ("@reason", reason));
        await ExecuteAsync(connection, tx, "UPDATE subscribers SET dropped = dropped + @dropped WHERE chat_id = @chat;", ct, ("@chat", chatId), ("@dropped", dropped));
        return dropped;
    }

    public async Task<Subscriber?> GetSubscriberAsync(long chatId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            "SELECT chat_id, kind, title, ui_language, languages, active, joined_at, left_at, left_reason FROM subscribers WHERE chat_id = @chat;",
            ("@chat", chatId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new Subscriber(
            reader.GetInt64(0),
            reader.GetString(1),
            NullableString(reader, 2),
            reader.GetString(3),
            reader.GetString(4).Split(',', StringSplitOptions.RemoveEmptyEntries),
            reader.GetInt64(5) != 0,
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
            FromUnixMs(reader, 7),
            NullableString(reader, 8));
    }

    /// <summary>Sets the feed languages a subscriber receives (at least one).</summary>
    public async Task SetLanguagesAsync(long chatId, IReadOnlyList<string> languages, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null, "UPDATE subscribers SET languages = @languages WHERE chat_id = @chat;", ct,
            ("@chat", chatId), ("@languages", string.Join(',', languages)));
    }

    /// <summary>Active, inactive and joined in the last 24 hours, per feed language (a subscriber of two languages counts in both).</summary>
    public async Task<IReadOnlyList<SubscriberCounts>> SubscriberCountsAsync(IReadOnlyList<string> languages, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null, _dialect.Pick(SubscriberCountsSql),
            ("@since", ToUnixMs(now.AddDays(-1))));
        var language = AddParameter(command, "@language", "");
        var counts = new List<SubscriberCounts>();
        foreach (var code in languages)
        {
            language.Value = code;
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            counts.Add(new SubscriberCounts(code, LongOrZero(reader, 0), LongOrZero(reader, 1), LongOrZero(reader, 2)));
        }

        return counts;
    }

    private static Task<int> RecordSubscriberEventAsync(DbConnection connection, DbTransaction tx, long chatId, string @event, DateTimeOffset at, CancellationToken ct) =>
        ExecuteAsync(connection, tx, "INSERT INTO subscriber_events (chat_id, event, at) VALUES (@chat, @event, @at);", ct,
            ("@chat", chatId), ("@event", @event), ("@at", ToUnixMs(at)));

    private static long LongOrZero(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : reader.GetInt64(ordinal);
}
