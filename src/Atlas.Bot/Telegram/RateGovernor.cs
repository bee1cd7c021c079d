using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Telegram;

/// <summary>
/// The one place that decides when a message may go to Telegram.
/// </summary>
/// <remarks>
/// Telegram counts a message when the request reaches it, and all the bot knows of that moment is that it lies between
/// the send's start and its answer. So each limit is an <see cref="OccupancyWindow"/>: a send holds a place from its
/// start until one window after its answer, and no window at the server can then hold more than N, whatever the
/// latency and its jitter. Every chat gets <see cref="RateLimits.PerChatPerSecond"/>; groups and channels (negative
/// ids, @usernames) also <see cref="RateLimits.GroupPerMinute"/>; every send counts against the global budget.
/// <para>
/// The global budget is also spread evenly (<see cref="EvenPace"/>), one send every 1/N s and never two at once: a
/// burst at the start of a second arrives bunched and leaves the rest of the window with nothing to absorb jitter.
/// </para>
/// <para>
/// The global pace adapts. Telegram's 429 does not say which limit was passed, and under this governor one means that
/// Telegram is stricter than configured or something else sends with the same token. Each one blocks its chat for the
/// retry_after given and pauses everything for at most a second; the first of an episode (a 429 for a send granted
/// after the last slow-down) also lowers the pace by a tenth. Without 429s the pace climbs back by a hundredth of the
/// ceiling every ten seconds. <see cref="RateLimits.GlobalPerSecond"/> is the ceiling.
/// </para>
/// <para>
/// Callers first wait for their own chat (each on its own short delay), then queue for the global budget: urgent ones
/// (channel posts, replies to people) ahead of ordinary ones, each queue first come, first served. One timer hands out
/// global turns as they come due, and an answer that frees a place hands out the next at once. Idle chats are dropped
/// in a sweep at most once a minute, so memory follows the chats of the last minute or two.
/// </para>
/// </remarks>
public sealed partial class RateGovernor : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>How often the pace may climb back after a slow-down, and by what share of the ceiling each time.</summary>
    private static readonly TimeSpan RecoveryStep = TimeSpan.FromSeconds(10);

    private const double RecoveryShare = 0.01;
    private const double SlowDownFactor = 0.9;
    private const double SlowestPace = 1;

    /// <summary>A chat waiting for the answer to its own send in flight looks again this often.</summary>
    private static readonly TimeSpan AnswerPoll = TimeSpan.FromMilliseconds(20);

    private const long NotArmed = long.MaxValue;

    private static readonly long MinimumTimerStep = TimeSpan.FromMilliseconds(4).Ticks;

    private readonly TimeProvider _time;
    private readonly RateLimits _limits;
    private readonly ILogger _log;
    private readonly long _origin;
    private readonly Lock _gate = new();
    private readonly OccupancyWindow _global;
    private readonly EvenPace _pace;
    private readonly Dictionary<string, ChatState> _chats = new(StringComparer.Ordinal);
    private readonly Queue<Waiter> _urgent = new();
    private readonly Queue<Waiter> _ordinary = new();
    private readonly ITimer _timer;
    private long _timerDue = NotArmed;
    private long _globalPausedUntil;
    private long _nextSweep;
    private long _lastSlowDown = long.MinValue;
    private long _lastPaceChange;

    public RateGovernor(IOptions<RateLimits> limits, TimeProvider time, ILogger<RateGovernor>? log = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _time = time;
        _limits = limits.Value;
        _log = log ?? (ILogger)NullLogger.Instance;
        _origin = time.GetTimestamp();
        _global = new OccupancyWindow(_limits.GlobalPerSecond, Second);
        _pace = new EvenPace(_limits.GlobalPerSecond);
        _nextSweep = Minute.Ticks;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The global pace now, in messages a second: the configured ceiling unless Telegram asked to slow down.</summary>
    public double Pace
    {
        get
        {
            lock (_gate)
            {
                RecoverIfDue(Now());
                return _pace.Rate;
            }
        }
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
    public ValueTask<SendTurn> WaitTurnAsync(string chat, CancellationToken cancellationToken) => WaitTurnAsync(chat, urgent: false, cancellationToken);

    /// <summary>
    /// As <see cref="WaitTurnAsync(string, CancellationToken)"/>; an <paramref name="urgent"/> caller (a channel post, a reply to
    /// a person) goes before every ordinary one waiting for the global budget, so a subscriber fan-out never delays it.
    /// The caller sends at once and settles the turn with Telegram's answer (disposing it unsettled counts it as sent).
    /// </summary>
    public async ValueTask<SendTurn> WaitTurnAsync(string chat, bool urgent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chat);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var waiter = Enter(chat, urgent, out var turn, out var chatWait);
            if (turn is not null)
            {
                return turn;
            }

            if (waiter is null)
            {
                // The chat's own limit: only this caller waits for it, so a plain delay is cheapest.
                await Task.Delay(chatWait, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (cancellationToken.Register(static state => ((Waiter)state!).TrySetCanceled(), waiter))
            {
                if (await waiter.Task.ConfigureAwait(false) is { } granted)
                {
                    return granted;
                }
            }

            // Another send to the same chat took its turn meanwhile: wait for the chat again.
        }
    }

    /// <summary>
    /// Claims one send to <paramref name="chat"/> if every limit allows it now and nobody is queued for the global
    /// budget; otherwise claims nothing and says how long until it could (<see cref="TimeSpan.MaxValue"/>: not before
    /// an answer). Never waits.
    /// </summary>
    public bool TryAcquire(string chat, [NotNullWhen(true)] out SendTurn? turn, out TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(chat);
        lock (_gate)
        {
            var now = Now();
            var state = Chat(chat, now);
            var ticks = Math.Max(state.TicksUntilFree(now), GlobalTicksUntilFree(now));
            if (ticks <= 0 && _urgent.Count == 0 && _ordinary.Count == 0)
            {
                turn = Grant(state, now);
                wait = TimeSpan.Zero;
                return true;
            }

            // Those queued for the global budget go first; look again when the next turn is due.
            turn = null;
            wait = ticks >= OccupancyWindow.UntilAnAnswer ? TimeSpan.MaxValue : TimeSpan.FromTicks(ticks > 0 ? ticks : _pace.Interval);
            return false;
        }
    }

    /// <summary>
    /// A send a previous process made <paramref name="ago"/> (answered then): a restarted bot starts with the windows
    /// Telegram still counts, not empty ones. Called before sending starts, oldest first.
    /// </summary>
    public void RememberSent(string chat, TimeSpan ago)
    {
        ArgumentNullException.ThrowIfNull(chat);
        lock (_gate)
        {
            var now = Now();
            var state = Chat(chat, now);
            Hold(state);
            Free(state, now - Math.Max(0, ago.Ticks), counted: true);
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

    /// <summary>Telegram's answer to a granted send: frees its places as the answer allows and hands out what is due.</summary>
    internal void Settle(SendTurn turn, TurnOutcome outcome, TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = Now();
            Free(turn.State, now, counted: outcome != TurnOutcome.NotDelivered);
            if (outcome == TurnOutcome.NotDelivered)
            {
                // Nothing was delivered, so nothing was spent: a storm of blocked subscribers costs the others no pace.
                _pace.GiveBack(now);
            }

            if (outcome == TurnOutcome.TooManyRequests)
            {
                turn.State.PenalizedUntil = Math.Max(turn.State.PenalizedUntil, now + retryAfter.Ticks);
                _globalPausedUntil = Math.Max(_globalPausedUntil, now + Math.Min(retryAfter.Ticks, Second.Ticks));
                SlowDown(turn, now);
            }

            Pump(now);
        }
    }

    /// <summary>
    /// Grants the turn at once (the turn), says how long the chat itself must wait (null, positive wait), or queues the
    /// caller for the global budget (the waiter).
    /// </summary>
    private Waiter? Enter(string chat, bool urgent, out SendTurn? turn, out TimeSpan chatWait)
    {
        lock (_gate)
        {
            var now = Now();
            turn = null;
            var state = Chat(chat, now);
            var chatTicks = state.TicksUntilFree(now);
            chatWait = chatTicks >= OccupancyWindow.UntilAnAnswer ? AnswerPoll : TimeSpan.FromTicks(Math.Max(0, chatTicks));
            if (chatTicks > 0)
            {
                return null;
            }

            if (NobodyQueuedBefore(urgent) && GlobalTicksUntilFree(now) <= 0)
            {
                turn = Grant(state, now);
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

    private SendTurn Grant(ChatState state, long now)
    {
        RecoverIfDue(now);
        Hold(state);
        _pace.Record(now);
        return new SendTurn(this, state, now);
    }

    /// <summary>A send starts: it holds a place in its chat's windows and the global one until it is freed.</summary>
    private void Hold(ChatState state)
    {
        state.Start();
        _global.Start();
    }

    /// <summary>A send was answered at <paramref name="at"/>: its places stay taken a window longer when Telegram counted it.</summary>
    private void Free(ChatState state, long at, bool counted)
    {
        state.Answer(at, counted);
        _global.Answer(at, counted);
    }

    /// <summary>One slow-down per episode: 429s for sends granted before the last slow-down are answers to that pace.</summary>
    private void SlowDown(SendTurn turn, long now)
    {
        if (turn.GrantedAt <= _lastSlowDown)
        {
            return;
        }

        var old = _pace.Rate;
        _lastSlowDown = now;
        _lastPaceChange = now;
        SetPace(Math.Max(SlowestPace, old * SlowDownFactor));
        LogPaceLowered(old, _pace.Rate, _global.Limit);
    }

    private void RecoverIfDue(long now)
    {
        var ceiling = _limits.GlobalPerSecond;
        var steps = (now - _lastPaceChange) / RecoveryStep.Ticks;
        if (_pace.Rate >= ceiling || steps <= 0)
        {
            return;
        }

        var old = _pace.Rate;
        _lastPaceChange += steps * RecoveryStep.Ticks;
        SetPace(Math.Min(ceiling, old + (steps * RecoveryShare * ceiling)));
        LogPaceRaised(old, _pace.Rate, _global.Limit);
    }

    private void SetPace(double perSecond)
    {
        _pace.Rate = perSecond;
        // A fraction of a message cannot be held back in a window: 26.7 a second allows 26 in any one second.
        _global.Limit = Math.Max(1, (int)Math.Floor(perSecond + 1e-9));
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
                // Waiting for an answer needs no timer: settling a turn pumps.
                if (ticks < OccupancyWindow.UntilAnAnswer)
                {
                    Arm(now + ticks);
                }

                return;
            }

            queue.Dequeue();
            var state = Chat(waiter.Chat, now);
            if (state.TicksUntilFree(now) > 0)
            {
                waiter.TrySetResult(null);
                continue;
            }

            if (!waiter.TrySetResult(Grant(state, now)))
            {
                // Cancelled between the check and the grant (the token's callback does not take the lock): nothing was sent.
                Free(state, now, counted: false);
            }
        }
    }

    private void Arm(long due)
    {
        // No timer sooner than a few milliseconds ahead: at 1000/s a wake-up per send costs the CPU that sends need, and
        // the pace's catch-up hands out together what came due in between.
        due = Math.Max(due, Now() + MinimumTimerStep);
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

    [LoggerMessage(EventId = 4410, Level = LogLevel.Warning, Message = "Telegram asked to slow down: pace lowered from {OldPace:0.##} to {Pace:0.##} messages a second (at most {Limit} in any second)")]
    private partial void LogPaceLowered(double oldPace, double pace, int limit);

    [LoggerMessage(EventId = 4411, Level = LogLevel.Information, Message = "No 429 for a while: pace raised from {OldPace:0.##} to {Pace:0.##} messages a second (at most {Limit} in any second)")]
    private partial void LogPaceRaised(double oldPace, double pace, int limit);

    /// <summary>One caller queued for the global budget: its turn when granted, null when its chat must be waited for again.</summary>
    private sealed class Waiter(string chat) : TaskCompletionSource<SendTurn?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public string Chat { get; } = chat;
    }

    internal sealed class ChatState(bool isPrivate, RateLimits limits)
    {
        private readonly OccupancyWindow _perSecond = new(limits.PerChatPerSecond, Second);
        private readonly OccupancyWindow? _perMinute = isPrivate ? null : new(limits.GroupPerMinute, Minute);

        public long PenalizedUntil { get; set; }

        public long TicksUntilFree(long now) =>
            Math.Max(Math.Max(_perSecond.TicksUntilFree(now), _perMinute?.TicksUntilFree(now) ?? 0), PenalizedUntil - now);

        public void Start()
        {
            _perSecond.Start();
            _perMinute?.Start();
        }

        public void Answer(long now, bool counted)
        {
            _perSecond.Answer(now, counted);
            _perMinute?.Answer(now, counted);
        }

        public bool IsIdle(long now) => PenalizedUntil <= now && _perSecond.IsIdle(now) && (_perMinute?.IsIdle(now) ?? true);
    }
}
