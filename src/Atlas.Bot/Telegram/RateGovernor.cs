using System.Globalization;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Telegram;

/// <summary>
/// The one place that decides when a message may go to Telegram.
/// </summary>
/// <remarks>
/// Each limit is a sliding-window log (<see cref="SlidingWindow"/>): a send is allowed only when fewer than N sends
/// happened in the last window, so no window of that length (any 60 s for a channel, any 1 s overall) ever holds
/// more than N, however bursty the start. That satisfies Telegram's limits read either as windows or as token buckets
/// (a bucket of N refilled N per window accepts every sequence such a log lets through).
/// Every chat gets <see cref="RateLimits.PerChatPerSecond"/>; groups and channels (negative ids, @usernames) also
/// <see cref="RateLimits.GroupPerMinute"/>; every send counts against <see cref="RateLimits.GlobalPerSecond"/>.
/// A 429 blocks its chat for the retry_after Telegram gave and pauses all sends for at most one second, the global
/// window: most 429s are about one chat, but one caused by the global budget would otherwise repeat for every chat.
/// Idle chats (all windows empty, no penalty) are dropped in a sweep at most once a minute, so memory follows the
/// chats of the last minute or two, not every chat ever served.
/// </remarks>
public sealed class RateGovernor
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly RateLimits _limits;
    private readonly long _origin;
    private readonly Lock _gate = new();
    private readonly SlidingWindow _global;
    private readonly Dictionary<string, ChatState> _chats = new(StringComparer.Ordinal);
    private long _globalPausedUntil;
    private int _urgentWaiting;

    /// <summary>How long an ordinary send steps aside for an urgent one before it looks again.</summary>
    private static readonly TimeSpan UrgentYield = TimeSpan.FromMilliseconds(20);
    private long _nextSweep;

    public RateGovernor(IOptions<RateLimits> limits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _time = time;
        _limits = limits.Value;
        _origin = time.GetTimestamp();
        _global = new SlidingWindow(_limits.GlobalPerSecond, Second);
        _nextSweep = Minute.Ticks;
    }

    /// <summary>How many chats the governor currently remembers (for tests and metrics).</summary>
    public int TrackedChats
    {
        get
        {
            lock (_gate)
            {
                return _chats.Count;
            }
        }
    }

    /// <summary>Waits until one message to <paramref name="chat"/> is within every limit, and claims that send.</summary>
    public ValueTask WaitTurnAsync(string chat, CancellationToken cancellationToken) => WaitTurnAsync(chat, urgent: false, cancellationToken);

    /// <summary>
    /// As <see cref="WaitTurnAsync(string, CancellationToken)"/>; an <paramref name="urgent"/> caller (a channel post, a reply to
    /// a person) goes before every ordinary one waiting for the global budget, so a subscriber fan-out never delays it.
    /// </summary>
    public async ValueTask WaitTurnAsync(string chat, bool urgent, CancellationToken cancellationToken)
    {
        if (urgent)
        {
            Interlocked.Increment(ref _urgentWaiting);
        }

        try
        {
            while (!TryAcquire(chat, urgent, out var wait))
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (urgent)
            {
                Interlocked.Decrement(ref _urgentWaiting);
            }
        }
    }

    /// <summary>
    /// Claims one send to <paramref name="chat"/> if every limit allows it now; otherwise claims nothing and says how
    /// long until it could. Never waits, so a dispatcher can serve other chats meanwhile.
    /// </summary>
    public bool TryAcquire(string chat, out TimeSpan wait) => TryAcquire(chat, urgent: false, out wait);

    private bool TryAcquire(string chat, bool urgent, out TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(chat);
        if (!urgent && Volatile.Read(ref _urgentWaiting) > 0)
        {
            // Someone urgent is waiting for the global budget: ordinary sends step aside and look again shortly.
            wait = UrgentYield;
            return false;
        }

        lock (_gate)
        {
            var now = Now();
            SweepIfDue(now);
            if (!_chats.TryGetValue(chat, out var state))
            {
                state = new ChatState(IsPrivate(chat), _limits);
                _chats[chat] = state;
            }

            var ticks = Math.Max(state.TicksUntilFree(now), GlobalTicksUntilFree(now));
            if (ticks > 0)
            {
                wait = TimeSpan.FromTicks(ticks);
                return false;
            }

            state.Record(now);
            _global.Record(now);
            wait = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>How long until one message to <paramref name="chat"/> would be allowed; zero when it would be now.</summary>
    public TimeSpan Delay(string chat)
    {
        ArgumentNullException.ThrowIfNull(chat);
        lock (_gate)
        {
            var now = Now();
            var chatTicks = _chats.TryGetValue(chat, out var state) ? state.TicksUntilFree(now) : 0;
            return TimeSpan.FromTicks(Math.Max(0, Math.Max(chatTicks, GlobalTicksUntilFree(now))));
        }
    }

    public bool CanSendNow(string chat) => Delay(chat) == TimeSpan.Zero;

    /// <summary>
    /// A send Telegram refused because the chat blocked the bot delivered nothing: its place in the global budget goes
    /// back, so a storm of blocked subscribers costs the others no throughput. (Telegram's flood limits count messages
    /// sent; should it count refusals too, the worst case is a 429 and a short pause, never a lost post.)
    /// </summary>
    public void Refund()
    {
        lock (_gate)
        {
            _global.ForgetNewest();
        }
    }

    /// <summary>Honours a 429: nothing goes to <paramref name="chat"/> before <paramref name="retryAfter"/> has passed.</summary>
    public void Penalize(string chat, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(chat);
        lock (_gate)
        {
            var now = Now();
            if (!_chats.TryGetValue(chat, out var state))
            {
                state = new ChatState(IsPrivate(chat), _limits);
                _chats[chat] = state;
            }

            state.PenalizedUntil = Math.Max(state.PenalizedUntil, now + retryAfter.Ticks);
            _globalPausedUntil = Math.Max(_globalPausedUntil, now + Math.Min(retryAfter.Ticks, Second.Ticks));
        }
    }

    /// <summary>Positive numeric ids are users (private chats); negative ids and @usernames are groups and channels.</summary>
    internal static bool IsPrivate(string chat) =>
        long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) && id > 0;

    private long Now() => _time.GetElapsedTime(_origin).Ticks;

    private long GlobalTicksUntilFree(long now) => Math.Max(_global.TicksUntilFree(now), _globalPausedUntil - now);

    private void SweepIfDue(long now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + Minute.Ticks;
        foreach (var (chat, state) in _chats)
        {
            if (state.IsIdle(now))
            {
                _chats.Remove(chat);
            }
        }
    }

    private sealed class ChatState(bool isPrivate, RateLimits limits)
    {
        private readonly SlidingWindow _perSecond = new(limits.PerChatPerSecond, Second);
        private readonly SlidingWindow? _perMinute = isPrivate ? null : new(limits.GroupPerMinute, Minute);

        public long PenalizedUntil { get; set; }

        public long TicksUntilFree(long now) =>
            Math.Max(Math.Max(_perSecond.TicksUntilFree(now), _perMinute?.TicksUntilFree(now) ?? 0), PenalizedUntil - now);

        public void Record(long now)
        {
            _perSecond.Record(now);
            _perMinute?.Record(now);
        }

        public bool IsIdle(long now) => PenalizedUntil <= now && _perSecond.IsIdle(now) && (_perMinute?.IsIdle(now) ?? true);
    }
}
