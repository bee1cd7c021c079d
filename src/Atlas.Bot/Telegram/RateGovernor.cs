using System.Globalization;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Telegram;

/// <summary>
/// The one place that decides when a message may go to Telegram.
/// </summary>
/// <remarks>
/// Each limit is a sliding-window log (<see cref="SlidingWindow"/>): a send is allowed only when fewer than N sends
/// happened in the last window, so no window of that length (any 60 s for a channel, any 1 s overall) ever holds
/// more than N, however bursty the start. That satisfies Telegram's limits read either as windows or as token buckets.
/// Every chat gets <see cref="RateLimits.PerChatPerSecond"/>; groups and channels (negative ids, @usernames) also
/// <see cref="RateLimits.GroupPerMinute"/>; every send counts against <see cref="RateLimits.GlobalPerSecond"/>.
/// <para>
/// The global budget is also spread evenly (<see cref="EvenPace"/>): at most a tenth of a second's worth goes at
/// once. A log alone lets a whole second's budget out in one burst and then repeats that burst every second; requests
/// that leave together queue together on the way, arrive bunched, and a receiver counting arrivals sees more than N
/// in a window. Even spacing keeps the arrivals as far apart as the grants.
/// </para>
/// <para>
/// Callers first wait for their own chat (each on its own short delay), then queue for the global budget: urgent ones
/// (channel posts, replies to people) ahead of ordinary ones, each queue first come, first served. One timer hands out
/// global turns as they come due, so hundreds of waiting sends cost one wake-up per grant, not one each per grant.
/// </para>
/// A 429 blocks its chat for the retry_after Telegram gave and pauses all sends for at most one second, the global
/// window: most 429s are about one chat, but one caused by the global budget would otherwise repeat for every chat.
/// Idle chats (all windows empty, no penalty) are dropped in a sweep at most once a minute, so memory follows the
/// chats of the last minute or two, not every chat ever served.
/// </remarks>
public sealed class RateGovernor : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private const long NotArmed = long.MaxValue;

    private readonly TimeProvider _time;
    private readonly RateLimits _limits;
    private readonly long _origin;
    private readonly Lock _gate = new();
    private readonly SlidingWindow _global;
    private readonly EvenPace _pace;
    private readonly Dictionary<string, ChatState> _chats = new(StringComparer.Ordinal);
    private readonly Queue<Waiter> _urgent = new();
    private readonly Queue<Waiter> _ordinary = new();
    private readonly ITimer _timer;
    private long _timerDue = NotArmed;
    private long _globalPausedUntil;
    private long _nextSweep;

    public RateGovernor(IOptions<RateLimits> limits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _time = time;
        _limits = limits.Value;
        _origin = time.GetTimestamp();
        _global = new SlidingWindow(_limits.GlobalPerSecond, Second);
        _pace = new EvenPace(_limits.GlobalPerSecond);
        _nextSweep = Minute.Ticks;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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
        ArgumentNullException.ThrowIfNull(chat);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var waiter = Enter(chat, urgent, out var chatWait);
            if (waiter is null && chatWait <= TimeSpan.Zero)
            {
                return;
            }

            if (waiter is null)
            {
                // The chat's own limit: only this caller waits for it, so a plain delay is cheapest.
                await Task.Delay(chatWait, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (cancellationToken.Register(static state => ((Waiter)state!).TrySetCanceled(), waiter))
            {
                if (await waiter.Task.ConfigureAwait(false))
                {
                    return;
                }
            }

            // Another send to the same chat took its turn meanwhile: wait for the chat again.
        }
    }

    /// <summary>
    /// Claims one send to <paramref name="chat"/> if every limit allows it now and nobody is queued for the global
    /// budget; otherwise claims nothing and says how long until it could. Never waits.
    /// </summary>
    public bool TryAcquire(string chat, out TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(chat);
        lock (_gate)
        {
            var now = Now();
            var ticks = Math.Max(Chat(chat, now).TicksUntilFree(now), GlobalTicksUntilFree(now));
            if (ticks <= 0 && _urgent.Count == 0 && _ordinary.Count == 0)
            {
                Grant(chat, now);
                wait = TimeSpan.Zero;
                return true;
            }

            // Those queued for the global budget go first; look again when the next turn is due.
            wait = TimeSpan.FromTicks(Math.Max(ticks, _pace.Interval));
            return false;
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
            _pace.GiveBack();
            Pump(Now());
        }
    }

    /// <summary>Honours a 429: nothing goes to <paramref name="chat"/> before <paramref name="retryAfter"/> has passed.</summary>
    public void Penalize(string chat, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(chat);
        lock (_gate)
        {
            var now = Now();
            var state = Chat(chat, now);
            state.PenalizedUntil = Math.Max(state.PenalizedUntil, now + retryAfter.Ticks);
            _globalPausedUntil = Math.Max(_globalPausedUntil, now + Math.Min(retryAfter.Ticks, Second.Ticks));
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate)
        {
            foreach (var waiter in _urgent.Concat(_ordinary))
            {
                waiter.TrySetCanceled();
            }

            _urgent.Clear();
            _ordinary.Clear();
        }
    }

    /// <summary>Positive numeric ids are users (private chats); negative ids and @usernames are groups and channels.</summary>
    internal static bool IsPrivate(string chat) =>
        long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) && id > 0;

    /// <summary>
    /// Grants the turn at once (null, zero wait), says how long the chat itself must wait (null, positive wait), or
    /// queues the caller for the global budget (the waiter).
    /// </summary>
    private Waiter? Enter(string chat, bool urgent, out TimeSpan chatWait)
    {
        lock (_gate)
        {
            var now = Now();
            var chatTicks = Chat(chat, now).TicksUntilFree(now);
            chatWait = TimeSpan.FromTicks(Math.Max(0, chatTicks));
            if (chatTicks > 0)
            {
                return null;
            }

            if (NobodyQueuedBefore(urgent) && GlobalTicksUntilFree(now) <= 0)
            {
                Grant(chat, now);
                return null;
            }

            var waiter = new Waiter(chat);
            (urgent ? _urgent : _ordinary).Enqueue(waiter);
            Pump(now);
            return waiter;
        }
    }

    /// <summary>True when nobody who goes before a caller of this kind is queued for the global budget.</summary>
    private bool NobodyQueuedBefore(bool urgent) => urgent ? _urgent.Count == 0 : _urgent.Count == 0 && _ordinary.Count == 0;

    private long Now() => _time.GetElapsedTime(_origin).Ticks;

    private long GlobalTicksUntilFree(long now) =>
        Math.Max(Math.Max(_global.TicksUntilFree(now), _pace.TicksUntilFree(now)), _globalPausedUntil - now);

    private ChatState Chat(string chat, long now)
    {
        SweepIfDue(now);
        if (!_chats.TryGetValue(chat, out var state))
        {
            state = new ChatState(IsPrivate(chat), _limits);
            _chats[chat] = state;
        }

        return state;
    }

    private void Grant(string chat, long now)
    {
        Chat(chat, now).Record(now);
        _global.Record(now);
        _pace.Record(now);
    }

    /// <summary>Hands out every global turn that is due now, urgent callers first; arms the timer for the next one.</summary>
    private void Pump(long now)
    {
        while ((_urgent.Count > 0 ? _urgent : _ordinary.Count > 0 ? _ordinary : null) is { } queue)
        {
            var waiter = queue.Peek();
            if (waiter.Task.IsCompleted)
            {
                queue.Dequeue();
                continue;
            }

            var ticks = GlobalTicksUntilFree(now);
            if (ticks > 0)
            {
                Arm(now + ticks);
                return;
            }

            queue.Dequeue();
            if (Chat(waiter.Chat, now).TicksUntilFree(now) > 0)
            {
                waiter.TrySetResult(false);
                continue;
            }

            if (waiter.TrySetResult(true))
            {
                Grant(waiter.Chat, now);
            }
        }
    }

    private void Arm(long due)
    {
        if (due >= _timerDue)
        {
            return;
        }

        _timerDue = due;
        _timer.Change(TimeSpan.FromTicks(Math.Max(0, due - Now())), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerDue = NotArmed;
            Pump(Now());
        }
    }

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

    /// <summary>One caller queued for the global budget: true when granted, false when its chat must be waited for again.</summary>
    private sealed class Waiter(string chat) : TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string Chat { get; } = chat;
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
