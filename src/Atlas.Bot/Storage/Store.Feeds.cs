using System.Data.Common;

namespace Atlas.Bot.Storage;

/// <summary>What the bot remembers of one feed between polls.</summary>
public sealed record FeedState(
    string FeedId,
    string? ETag,
    string? LastModified,
    bool Initialized,
    DateTimeOffset? LastPollAt,
    DateTimeOffset? LastSuccessAt,
    string? LastError,
    int ConsecutiveFailures,
    DateTimeOffset? NextPollAfter)
{
    public static FeedState New(string feedId) => new(feedId, null, null, false, null, null, null, 0, null);
}

public sealed partial class Store
{
    public async Task<FeedState> GetFeedStateAsync(string feedId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = Command(connection, null,
            """
            SELECT etag, last_modified, initialized, last_poll_at, last_success_at, last_error, consecutive_failures, next_poll_after
            FROM feeds WHERE id = @id;
            """,
            ("@id", feedId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return FeedState.New(feedId);
        }

        return new FeedState(
            feedId,
            NullableString(reader, 0),
            NullableString(reader, 1),
            reader.GetInt64(2) != 0,
            FromUnixMs(reader, 3),
            FromUnixMs(reader, 4),
            NullableString(reader, 5),
            reader.GetInt32(6),
            FromUnixMs(reader, 7));
    }

    /// <summary>
    /// Records a successful poll. Called only after the poll's new items are stored, so that a crash in
    /// between makes the next poll fetch them again instead of getting a 304 and losing them.
    /// </summary>
    public async Task RecordPollSuccessAsync(string feedId, string? etag, string? lastModified, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            """
            INSERT INTO feeds (id, etag, last_modified, initialized, last_poll_at, last_success_at, last_error, consecutive_failures, next_poll_after)
            VALUES (@id, @etag, @lastModified, 1, @now, @now, NULL, 0, NULL)
            ON CONFLICT (id) DO UPDATE SET
                etag = excluded.etag, last_modified = excluded.last_modified, initialized = 1,
                last_poll_at = @now, last_success_at = @now, last_error = NULL,
                consecutive_failures = 0, next_poll_after = NULL;
            """,
            ct,
            ("@id", feedId), ("@etag", etag), ("@lastModified", lastModified), ("@now", ToUnixMs(now)));
    }

    /// <summary>A 304: the feed is fine and unchanged; validators stay as they are.</summary>
    public async Task RecordPollNotModifiedAsync(string feedId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            """
            UPDATE feeds SET last_poll_at = @now, last_success_at = @now, last_error = NULL,
                             consecutive_failures = 0, next_poll_after = NULL
            WHERE id = @id;
            """,
            ct,
            ("@id", feedId), ("@now", ToUnixMs(now)));
    }

    /// <summary>Records a failed poll and when the next attempt may run; returns the failures in a row.</summary>
    public async Task<int> RecordPollFailureAsync(string feedId, string reason, DateTimeOffset now, Func<int, DateTimeOffset> nextPollAfter, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var failures = 1 + (int)(await ScalarLongAsync(connection, tx,
            "SELECT consecutive_failures FROM feeds WHERE id = @id;", ct, ("@id", feedId)) ?? 0);
        await ExecuteAsync(connection, tx,
            """
            INSERT INTO feeds (id, initialized, last_poll_at, last_error, consecutive_failures, next_poll_after)
            VALUES (@id, 0, @now, @reason, @failures, @next)
            ON CONFLICT (id) DO UPDATE SET
                last_poll_at = @now, last_error = @reason, consecutive_failures = @failures, next_poll_after = @next;
            """,
            ct,
            ("@id", feedId), ("@now", ToUnixMs(now)), ("@reason", reason), ("@failures", failures),
            ("@next", ToUnixMs(nextPollAfter(failures))));
        await tx.CommitAsync(ct);
        return failures;
    }
}
