namespace Atlas.Bot.Telegram;

/// <summary>
/// The times of the last <c>limit</c> sends in a ring: a new send is allowed once the oldest of them has left the
/// window, so no window of that length ever holds more than <c>limit</c> sends. O(1) per decision, fixed memory.
/// Not thread-safe: <see cref="RateGovernor"/> guards it.
/// </summary>
internal sealed class SlidingWindow
{
    private readonly long[] _sends;
    private readonly long _windowTicks;
    private int _oldest;

    public SlidingWindow(int limit, TimeSpan window)
    {
        _windowTicks = window.Ticks;
        _sends = new long[limit];
        Array.Fill(_sends, long.MinValue / 2);
    }

    /// <summary>Ticks until one more send fits; zero or less when it fits now.</summary>
    public long TicksUntilFree(long now) => _sends[_oldest] + _windowTicks - now;

    public void Record(long now)
    {
        _sends[_oldest] = now;
        _oldest = (_oldest + 1) % _sends.Length;
    }

    /// <summary>
    /// Gives back the newest send's place: the ring steps back one slot and that slot becomes empty, the oldest of all.
    /// (What it held before was a send already outside the window, or it could not have been overwritten.)
    /// </summary>
    public void ForgetNewest()
    {
        _oldest = (_oldest + _sends.Length - 1) % _sends.Length;
        _sends[_oldest] = long.MinValue / 2;
    }

    /// <summary>True when every recorded send has left the window: the state equals a fresh one and may be dropped.</summary>
    public bool IsIdle(long now) => _sends[(_oldest + _sends.Length - 1) % _sends.Length] + _windowTicks <= now;
}
