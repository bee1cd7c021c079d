using System.Data.Common;

namespace Atlas.Bot.Storage;

/// <summary>Where a feed's WebSub subscription stands.</summary>
public enum WebSubState
{
    /// <summary>Asked for; the hub has yet to verify our intent.</summary>
    Pending,

    /// <summary>Verified: the hub pushes until the lease ends.</summary>
    Verified,

    /// <summary>Refused or not reached; retried at the next attempt.</summary>
    Failed,

    /// <summary>An unsubscription asked for; the hub has yet to verify it.</summary>
    Unsubscribing,
}

/// <summary>One feed's WebSub subscription as stored.</summary>
/// <param name="NextAttempt">When to act next: renew a verified one, retry a failed or unanswered one.</param>
public sealed record WebSubSubscription(
    string FeedId,
    string Hub,
    string Topic,
    string CallbackToken,
    string Secret,
    WebSubState State,
    DateTimeOffset? LeaseUntil,
    int Failures,
    DateTimeOffset? NextAttempt,
    string? LastError);

public sealed partial class Store
{
    private const string WebSubColumns = "feed_id, hub, topic, callback_token, secret, state, lease_until, failures, next_attempt, last_error";

    public async Task<WebSubSubscription?> GetWebSubAsync(string feedId, CancellationToken ct) =>
        (await QueryAsync($"SELECT {WebSubColumns} FROM websub_subscriptions WHERE feed_id = @feed;", ReadWebSub, ct, ("@feed", feedId)))
            .SingleOrDefault();

    public async Task<IReadOnlyList<WebSubSubscription>> ListWebSubAsync(CancellationToken ct) =>
        await QueryAsync($"SELECT {WebSubColumns} FROM websub_subscriptions ORDER BY feed_id;", ReadWebSub, ct);

    /// <summary>
    /// Records a (re)subscription as asked for: pending until the hub verifies it, retried at <paramref name="nextAttempt"/>
    /// if it never does. Failures and the last error stay until it is verified.
    /// </summary>
    public async Task SaveWebSubRequestAsync(
        string feedId, string hub, string topic, string callbackToken, string secret, WebSubState state, DateTimeOffset nextAttempt, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            """
            INSERT INTO websub_subscriptions (feed_id, hub, topic, callback_token, secret, state, failures, next_attempt)
            VALUES (@feed, @hub, @topic, @token, @secret, @state, 0, @next)
            ON CONFLICT (feed_id) DO UPDATE SET
                hub = excluded.hub, topic = excluded.topic, callback_token = excluded.callback_token, secret = excluded.secret,
                state = excluded.state, next_attempt = excluded.next_attempt;
            """,
            ct,
            ("@feed", feedId), ("@hub", hub), ("@topic", topic), ("@token", callbackToken), ("@secret", secret),
            ("@state", StateName(state)), ("@next", ToUnixMs(nextAttempt)));
    }

    /// <summary>The hub verified the subscription: it holds until <paramref name="leaseUntil"/>, renewed at <paramref name="renewAt"/>.</summary>
    public async Task MarkWebSubVerifiedAsync(string feedId, DateTimeOffset leaseUntil, DateTimeOffset renewAt, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            """
            UPDATE websub_subscriptions SET state = 'verified', lease_until = @lease, next_attempt = @renew, failures = 0, last_error = NULL
            WHERE feed_id = @feed;
            """,
            ct, ("@feed", feedId), ("@lease", ToUnixMs(leaseUntil)), ("@renew", ToUnixMs(renewAt)));
    }

    /// <summary>A refusal or a failure to reach the hub. Returns the failures in a row, this one included.</summary>
    public async Task<int> MarkWebSubFailedAsync(string feedId, string error, Func<int, DateTimeOffset> nextAttempt, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var failures = (int)((await ScalarLongAsync(connection, tx, "SELECT failures FROM websub_subscriptions WHERE feed_id = @feed;", ct, ("@feed", feedId)) ?? 0) + 1);
        await ExecuteAsync(connection, tx,
            """
            UPDATE websub_subscriptions SET state = 'failed', failures = @failures, next_attempt = @next, last_error = @error
            WHERE feed_id = @feed;
            """,
            ct, ("@feed", feedId), ("@failures", failures), ("@next", ToUnixMs(nextAttempt(failures))), ("@error", error));
        await tx.CommitAsync(ct);
        return failures;
    }

    public async Task DeleteWebSubAsync(string feedId, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null, "DELETE FROM websub_subscriptions WHERE feed_id = @feed;", ct, ("@feed", feedId));
    }

    /// <summary>
    /// A verified push counts as a successful poll for readiness; the validators (ETag, Last-Modified) stay those of the
    /// last fetch, which the push did not make.
    /// </summary>
    public async Task RecordPushAsync(string feedId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null,
            """
            INSERT INTO feeds (id, initialized, last_success_at) VALUES (@id, 1, @now)
            ON CONFLICT (id) DO UPDATE SET initialized = 1, last_success_at = @now;
            """,
            ct, ("@id", feedId), ("@now", ToUnixMs(now)));
    }

    private static WebSubSubscription ReadWebSub(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        Enum.TryParse<WebSubState>(reader.GetString(5), ignoreCase: true, out var state) ? state : WebSubState.Failed,
        FromUnixMs(reader, 6),
        (int)reader.GetInt64(7),
        FromUnixMs(reader, 8),
        NullableString(reader, 9));

    /// <summary>The state as stored: its name in lower case ("pending", "verified", "failed", "unsubscribing").</summary>
    private static string StateName(WebSubState state) => state.ToString().ToLowerInvariant();
}
