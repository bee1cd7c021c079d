namespace Atlas.Bot.Telegram;

/// <summary>
/// Spreads sends evenly: one every 1/<see cref="Rate"/> s, not even two at once after a quiet spell (the generic cell
/// rate algorithm with no burst tolerance: a "theoretical arrival time" that each send pushes on by one interval).
/// </summary>
/// <remarks>
/// A timer always fires a little late, and a beat restarted from every late grant would lose that lateness each time
/// (at 300/s, a timer 1 ms late costs a quarter of the rate). So a grant up to <see cref="CatchUp"/> behind the beat
/// keeps it: the sends due meanwhile go as soon as they can, together, and the average stays at the rate. Further
/// behind than that is a pause, and the beat starts again from the grant. Not thread-safe: <see cref="RateGovernor"/>
/// guards it.
/// </remarks>
internal sealed class EvenPace
{
    /// <summary>How far behind its beat a grant may come and still keep it: a timer's lateness, not a pause.</summary>
    public static readonly long CatchUp = TimeSpan.FromMilliseconds(20).Ticks;

    private long _theoreticalArrival = long.MinValue / 2;

    public EvenPace(double perSecond) => Rate = perSecond;

    /// <summary>Sends a second at the steady pace.</summary>
    public double Rate
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
            Interval = (long)(TimeSpan.TicksPerSecond / value);
        }
    }

    /// <summary>Ticks between sends at the steady pace.</summary>
    public long Interval { get; private set; }

    /// <summary>Ticks until one more send fits; zero or less when it fits now.</summary>
    public long TicksUntilFree(long now) => _theoreticalArrival - now;

    public void Record(long now) => _theoreticalArrival = (now - _theoreticalArrival <= CatchUp ? _theoreticalArrival : now) + Interval;

    /// <summary>Takes one interval back (a send that delivered nothing), never into the past.</summary>
    public void GiveBack(long now) => _theoreticalArrival = Math.Max(now, _theoreticalArrival - Interval);
}
