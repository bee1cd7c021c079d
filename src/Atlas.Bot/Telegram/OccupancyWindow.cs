namespace Atlas.Bot.Telegram;

/// <summary>
/// At most <see cref="Limit"/> sends in any window of one length <em>as the server sees them</em>, when all the sender
/// knows of a send's arrival at the server is that it lies between the send's start and its answer. So a send occupies
/// the window from its start until one window-length after its answer (while in flight, until further notice), and a
/// new send may start only while fewer than <see cref="Limit"/> sends occupy it.
/// </summary>
/// <remarks>
/// Why that is enough: take any server window holding k arrivals and the last of those sends to start, at s. Every
/// other one started no later than s and arrived within one window of its arrival, which is at or after s, so it was
/// answered less than one window before s: it still occupied the window when s started. Hence k - 1 &lt; Limit.
/// The price is the latency: a steady sender gets Limit per (window + answer time), e.g. 30 per 1.02 s.
/// Not thread-safe: <see cref="RateGovernor"/> guards it.
/// </remarks>
internal sealed class OccupancyWindow(int limit, TimeSpan window)
{
    /// <summary>"Not until a send in flight is answered": no timer can be set for it.</summary>
    public const long UntilAnAnswer = long.MaxValue / 4;

    private readonly long _windowTicks = window.Ticks;

    // Answer times of counted sends, oldest first. They are recorded with the governor's clock under its lock, so they
    // arrive in order and the front is always the first to leave.
    private readonly Queue<long> _answered = new();
    private int _inFlight;
    private long _lastAnswer = long.MinValue;

    /// <summary>Lowered and raised by the governor's pace; a lower limit than the sends occupying just means waiting.</summary>
    public int Limit { get; set; } = limit;

    public int InFlight => _inFlight;

    /// <summary>Ticks until one more send may start: zero or less when it may now, <see cref="UntilAnAnswer"/> when only an answer frees a place.</summary>
    public long TicksUntilFree(long now)
    {
        Prune(now);
        var mustLeave = _inFlight + _answered.Count - Limit + 1;
        if (mustLeave <= 0)
        {
            return 0;
        }

        return mustLeave > _answered.Count ? UntilAnAnswer : _answered.ElementAt(mustLeave - 1) + _windowTicks - now;
    }

    public void Start() => _inFlight++;

    /// <param name="counted">
    /// False when the server cannot have counted the send (it refused to deliver it): its place is free at once.
    /// </param>
    public void Answer(long now, bool counted)
    {
        _inFlight--;
        if (counted)
        {
            // Kept in order: an answer remembered from before a restart is never recorded after a newer one.
            _lastAnswer = Math.Max(_lastAnswer, now);
            _answered.Enqueue(_lastAnswer);
        }
    }

    /// <summary>True when nothing is in flight and every answer has left the window: the state equals a fresh one.</summary>
    public bool IsIdle(long now)
    {
        Prune(now);
        return _inFlight == 0 && _answered.Count == 0;
    }

    private void Prune(long now)
    {
        while (_answered.Count > 0 && _answered.Peek() + _windowTicks <= now)
        {
            _answered.Dequeue();
        }
    }
}
