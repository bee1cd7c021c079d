using System.Security.Cryptography;
using System.Text;
using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Feeds.WebSub;

/// <summary>
/// The subscriber side of W3C WebSub: asks a hub to (un)subscribe, answers its verification of intent, checks the
/// signature of what it pushes, and renews before the lease ends. A refused or failed request is retried after
/// 1, 2, 4 … minutes, at most an hour. Callbacks are {PublicBaseUrl}/websub/{feedId}/{token}, the token unguessable.
/// </summary>
public sealed partial class WebSubSubscriber(
    HttpClient http, Store store, IOptions<TrackingOptions> tracking, TimeProvider time, ILogger<WebSubSubscriber> log)
{
    /// <summary>The HttpClient name of requests to hubs.</summary>
    public const string Client = "websub";

    /// <summary>The lease asked for; the hub may grant another, which is the one kept.</summary>
    public static readonly TimeSpan RequestedLease = TimeSpan.FromDays(7);

    /// <summary>How long a hub may take to verify before the request is made again.</summary>
    public static readonly TimeSpan VerificationWait = TimeSpan.FromMinutes(10);

    /// <summary>Whether a callback can be offered at all: WebSub needs the bot's public address.</summary>
    public bool Enabled => tracking.Value.PublicBaseUrl is { Length: > 0 };

    public Uri CallbackOf(string feedId, string token) =>
        new($"{tracking.Value.PublicBaseUrl!.TrimEnd('/')}/websub/{Uri.EscapeDataString(feedId)}/{token}");

    /// <summary>
    /// Subscribes <paramref name="feedId"/> to <paramref name="topic"/> at <paramref name="hub"/> unless it is already,
    /// or waits for verification, or backs off after a failure, and nothing is due. Called by the poller after discovery.
    /// </summary>
    public async Task EnsureSubscribedAsync(string feedId, Uri hub, Uri topic, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(topic);
        if (!Enabled)
        {
            return;
        }

        var current = await store.GetWebSubAsync(feedId, ct);
        var same = current is not null && current.Hub == hub.AbsoluteUri && current.Topic == topic.AbsoluteUri;
        if (same && current!.State != WebSubState.Unsubscribing && current.NextAttempt is { } next && time.GetUtcNow() < next)
        {
            return;
        }

        // A new hub or topic gets a new callback and secret: nothing the old hub knows works with the new subscription.
        var token = same ? current!.CallbackToken : NewSecret();
        var secret = same ? current!.Secret : NewSecret();
        await RequestAsync(feedId, "subscribe", hub.AbsoluteUri, topic.AbsoluteUri, token, secret, ct);
    }

    /// <summary>
    /// Asks the hub to stop pushing <paramref name="feedId"/>; the row goes once the hub verifies it. An unsubscription
    /// already asked for waits for its verification or its backoff (<see cref="RenewDueAsync"/> asks again), so a poll of
    /// a feed that no longer names a hub does not ask the hub on every poll.
    /// </summary>
    public async Task UnsubscribeAsync(string feedId, CancellationToken ct)
    {
        if (await store.GetWebSubAsync(feedId, ct) is not { } current
            || (current is { State: WebSubState.Unsubscribing, NextAttempt: { } next } && time.GetUtcNow() < next && Enabled))
        {
            return;
        }

        if (Enabled)
        {
            await RequestAsync(feedId, "unsubscribe", current.Hub, current.Topic, current.CallbackToken, current.Secret, ct);
        }
        else
        {
            await store.DeleteWebSubAsync(feedId, ct);
        }
    }

    /// <summary>Unsubscribes every feed no longer configured (at start).</summary>
    public async Task UnsubscribeRemovedAsync(IReadOnlyCollection<string> configured, CancellationToken ct)
    {
        foreach (var subscription in await store.ListWebSubAsync(ct))
        {
            if (!configured.Contains(subscription.FeedId))
            {
                await UnsubscribeAsync(subscription.FeedId, ct);
            }
        }
    }

    /// <summary>
    /// Renews every subscription whose time came (at ~80% of its lease), retries the failed and unanswered ones whose
    /// backoff is over, and asks again for unsubscriptions not verified. Returns how many requests were made.
    /// </summary>
    public async Task<int> RenewDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var requests = 0;
        foreach (var subscription in await store.ListWebSubAsync(ct))
        {
            if (subscription.NextAttempt is { } next && now < next)
            {
                continue;
            }

            var mode = subscription.State == WebSubState.Unsubscribing ? "unsubscribe" : "subscribe";
            await RequestAsync(subscription.FeedId, mode, subscription.Hub, subscription.Topic, subscription.CallbackToken, subscription.Secret, ct);
            requests++;
        }

        return requests;
    }

    /// <summary>
    /// The hub's verification of intent (GET on the callback): the challenge to echo when it matches a pending
    /// (un)subscription by feed, token, mode and topic; null (a 404) for anything else. A denial is recorded and
    /// answered with an empty body.
    /// </summary>
    public async Task<string?> VerifyIntentAsync(
        string feedId, string token, string? mode, string? topic, string? challenge, string? leaseSeconds, string? reason, CancellationToken ct)
    {
        if (await store.GetWebSubAsync(feedId, ct) is not { } subscription || !SameToken(subscription.CallbackToken, token) || topic != subscription.Topic)
        {
            LogIntentRefused(feedId, mode ?? "(none)");
            return null;
        }

        var now = time.GetUtcNow();
        switch (mode)
        {
            case "subscribe" when subscription.State == WebSubState.Pending && challenge is not null:
                var lease = long.TryParse(leaseSeconds, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                    ? TimeSpan.FromSeconds(seconds)
                    : RequestedLease;
                await store.MarkWebSubVerifiedAsync(feedId, now + lease, now + (lease * 0.8), ct);
                LogVerified(feedId, subscription.Hub, now + lease);
                return challenge;

            case "unsubscribe" when subscription.State == WebSubState.Unsubscribing && challenge is not null:
                await store.DeleteWebSubAsync(feedId, ct);
                LogUnsubscribed(feedId, subscription.Hub);
                return challenge;

            case "denied" when subscription.State is WebSubState.Pending or WebSubState.Verified:
                var denial = "denied by the hub" + (reason is { Length: > 0 } ? ": " + reason : "");
                var failures = await store.MarkWebSubFailedAsync(feedId, denial, NextAttempt, ct);
                LogRequestFailed(feedId, "subscribe", subscription.Hub, denial, failures);
                return "";

            default:
                LogIntentRefused(feedId, mode ?? "(none)");
                return null;
        }
    }

    /// <summary>
    /// The subscription a push to the callback of <paramref name="feedId"/> with <paramref name="token"/> belongs to:
    /// pending, verified or being renewed; null for an unknown callback, a wrong token, or one being given up. Asked
    /// before the body is read, so a push to a callback nobody was given costs a lookup and nothing more.
    /// </summary>
    public async Task<WebSubSubscription?> PushTargetAsync(string feedId, string token, CancellationToken ct) =>
        await store.GetWebSubAsync(feedId, ct) is { } subscription
        && SameToken(subscription.CallbackToken, token)
        && subscription.State != WebSubState.Unsubscribing
            ? subscription
            : null;

    private async Task RequestAsync(string feedId, string mode, string hub, string topic, string token, string secret, CancellationToken ct)
    {
        var state = mode == "subscribe" ? WebSubState.Pending : WebSubState.Unsubscribing;
        // Stored before the request: the hub may verify before it even answers the POST.
        await store.SaveWebSubRequestAsync(feedId, hub, topic, token, secret, state, time.GetUtcNow() + VerificationWait, ct);
        var form = new Dictionary<string, string>
        {
            ["hub.mode"] = mode,
            ["hub.topic"] = topic,
            ["hub.callback"] = CallbackOf(feedId, token).AbsoluteUri,
        };
        if (mode == "subscribe")
        {
            form["hub.secret"] = secret;
            form["hub.lease_seconds"] = ((long)RequestedLease.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        string? error;
        try
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await http.PostAsync(new Uri(hub), content, ct);
            error = response.IsSuccessStatusCode ? null : $"the hub answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException ex)
        {
            error = "the hub could not be reached: " + ex.Message;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            error = "the hub did not answer in time";
        }

        if (error is null)
        {
            LogRequested(feedId, mode, hub);
            return;
        }

        var failures = await store.MarkWebSubFailedAsync(feedId, error, NextAttempt, ct);
        LogRequestFailed(feedId, mode, hub, error, failures);
        if (mode == "unsubscribe")
        {
            // A failed unsubscription is asked again, not turned into a subscription.
            await store.SaveWebSubRequestAsync(feedId, hub, topic, token, secret, WebSubState.Unsubscribing, NextAttempt(failures), ct);
        }
    }

    private DateTimeOffset NextAttempt(int failures) => time.GetUtcNow() + SourceBackoff.After(failures);

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    // In constant time: how much of a guessed token matched must not show in how long the answer takes.
    private static bool SameToken(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Feed {FeedId}: asked {Hub} to {Mode}")]
    private partial void LogRequested(string feedId, string mode, string hub);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Feed {FeedId}: {Mode} at {Hub} failed ({Failures} in a row): {Error}")]
    private partial void LogRequestFailed(string feedId, string mode, string hub, string error, int failures);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Feed {FeedId}: subscription at {Hub} verified, lease until {LeaseUntil}")]
    private partial void LogVerified(string feedId, string hub, DateTimeOffset leaseUntil);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Information, Message = "Feed {FeedId}: unsubscribed from {Hub}")]
    private partial void LogUnsubscribed(string feedId, string hub);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Warning, Message = "Feed {FeedId}: verification of intent refused (mode {Mode}): no matching pending request")]
    private partial void LogIntentRefused(string feedId, string mode);
}
