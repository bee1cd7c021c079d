using System.Collections.Concurrent;
using System.Globalization;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;
using Telegram.Bot.Extensions;

namespace Atlas.Bot.Delivery;

/// <summary>
/// Tells the admins, once per problem, when a feed keeps failing, a channel (or a forum topic) refuses the bot, or
/// Telegram's flood control has held the dispatcher for long — and once more when it is over.
/// </summary>
/// <remarks>
/// Each problem's state lives in bot_state ("alert:feed:{id}", "alert:channel:{chat}", "alert:topic:{chat}/{thread}",
/// "alert:rate-limit" = "down:N" or "up:N"), so a restart neither repeats an open alert nor forgets to say it is over. Messages go
/// through the outbox like replies, keyed "{problem}:down:N:{admin}": queued before the state is written, so a
/// crash in between queues nothing twice. The hot path (every poll, every send) costs a dictionary lookup.
/// </remarks>
public sealed partial class AdminAlerts(
    Store store,
    Outbox outbox,
    OutboxSignal signal,
    IOptions<TelegramOptions> telegram,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AdminAlerts> log) : IDisposable
{
    /// <summary>Flood control that has held the dispatcher longer than this is worth telling.</summary>
    public static readonly TimeSpan RateLimitAlertAfter = TimeSpan.FromMinutes(10);

    private const string RateLimitProblem = "alert:rate-limit";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, AlertState> _known = new(StringComparer.Ordinal);
    private readonly Lock _streak = new();
    private DateTimeOffset? _rateLimitedSince;

    public Task FeedPolledAsync(string feedId, bool succeeded, string? reason, int failuresInARow, CancellationToken ct)
    {
        var problem = "alert:feed:" + feedId;
        if (succeeded)
        {
            return CloseAsync(problem, AlertTexts.FeedRecovered(feedId), ct);
        }

        // Below the threshold a failure is weather, not news.
        return failuresInARow >= options.Value.FeedFailures
            ? OpenAsync(problem, () => AlertTexts.FeedDown(feedId, failuresInARow, reason), ct)
            : Task.CompletedTask;
    }

    public Task ChannelBlockedAsync(string chat, string reason, CancellationToken ct) =>
        OpenAsync("alert:channel:" + chat, () => AlertTexts.ChannelBlocked(chat, reason), ct);

    public Task ChannelSentAsync(string chat, CancellationToken ct) =>
        CloseAsync("alert:channel:" + chat, AlertTexts.ChannelRecovered(chat), ct);

    /// <summary>A forum topic refused (deleted or closed): a problem of its own, apart from its group's.</summary>
    public Task TopicStoppedAsync(string chat, int thread, string reason, CancellationToken ct) =>
        OpenAsync(TopicProblem(chat, thread), () => AlertTexts.TopicStopped(chat, thread, reason), ct);

    public Task TopicSentAsync(string chat, int thread, CancellationToken ct) =>
        CloseAsync(TopicProblem(chat, thread), AlertTexts.TopicRecovered(chat, thread), ct);

    private static string TopicProblem(string chat, int thread) =>
        $"alert:topic:{chat}/{thread.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A 429: starts a streak unless one is under way, and alerts when it has lasted too long.</summary>
    public Task RateLimitedAsync(TimeSpan retryAfter, CancellationToken ct)
    {
        lock (_streak)
        {
            _rateLimitedSince ??= time.GetUtcNow();
        }

        return CheckRateLimitAsync(ct);
    }

    /// <summary>Any confirmed send ends a 429 streak.</summary>
    public Task SentAsync(CancellationToken ct)
    {
        lock (_streak)
        {
            _rateLimitedSince = null;
        }

        return CloseAsync(RateLimitProblem, AlertTexts.RateLimitRecovered, ct);
    }

    /// <summary>
    /// Alerts when the current 429 streak has lasted over <see cref="RateLimitAlertAfter"/>. Also called
    /// periodically (<see cref="RateLimitWatch"/>): a dispatcher held back sends nothing, so no send would notice.
    /// </summary>
    public Task CheckRateLimitAsync(CancellationToken ct)
    {
        DateTimeOffset? since;
        lock (_streak)
        {
            since = _rateLimitedSince;
        }

        var held = since is { } start ? time.GetUtcNow() - start : TimeSpan.Zero;
        return held > RateLimitAlertAfter
            ? OpenAsync(RateLimitProblem, () => AlertTexts.RateLimited(held), ct)
            : Task.CompletedTask;
    }

    public void Dispose() => _gate.Dispose();

    private Task OpenAsync(string problem, Func<string> text, CancellationToken ct) =>
        MoveAsync(problem, down: true, state => state.Opened() is var opened ? (opened, $"{problem}:down:{opened.Episode}", text()) : default, ct);

    private Task CloseAsync(string problem, string text, CancellationToken ct) =>
        MoveAsync(problem, down: false, state => (state.Closed(), $"{problem}:up:{state.Episode}", text), ct);

    /// <summary>
    /// Moves a problem down (open) or up (closed), once however many callers race: the admins' messages are queued
    /// before the new state is saved, so a crash in between queues nothing twice (the message keys are per episode).
    /// </summary>
    private async Task MoveAsync(string problem, bool down, Func<AlertState, (AlertState Next, string Key, string Text)> move, CancellationToken ct)
    {
        // The hot path (every poll, every send): already in that state, as far as this process knows.
        if (_known.TryGetValue(problem, out var known) && known.Down == down)
        {
            return;
        }

        await _gate.WaitAsync(ct);
        try
        {
            var state = await StateAsync(problem, ct);
            if (state.Down == down)
            {
                return;
            }

            var (next, key, text) = move(state);
            await TellAdminsAsync(problem, key, text, ct);
            await SaveAsync(problem, next, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AlertState> StateAsync(string problem, CancellationToken ct)
    {
        if (_known.TryGetValue(problem, out var known))
        {
            return known;
        }

        var stored = AlertState.Parse(await store.GetStateAsync(problem, ct));
        _known[problem] = stored;
        return stored;
    }

    private async Task SaveAsync(string problem, AlertState state, CancellationToken ct)
    {
        await store.SetStateAsync(problem, state.ToString(), ct);
        _known[problem] = state;
    }

    private async Task TellAdminsAsync(string problem, string key, string html, CancellationToken ct)
    {
        LogAlert(problem, HtmlText.ToPlain(html));
        var admins = telegram.Value.Admins;
        if (admins.Count == 0)
        {
            LogNobodyToTell(problem);
            return;
        }

        var now = time.GetUtcNow();
        var post = Post.Text(html);
        foreach (var admin in admins.Distinct())
        {
            await outbox.QueueReplyAsync($"{key}:{admin.ToString(CultureInfo.InvariantCulture)}", admin, post, now, ct);
        }

        signal.Notify();
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Alert {Problem}: {Text}")]
    private partial void LogAlert(string problem, string text);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "No admins configured (Telegram:Admins): alert {Problem} is only logged")]
    private partial void LogNobodyToTell(string problem);
}
