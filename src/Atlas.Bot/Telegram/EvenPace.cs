namespace Atlas.Bot.Telegram;

/// <summary>
/// Spreads sends evenly: one every 1/<see cref="Rate"/> s on average, never two closer than half an interval, not
/// even after a quiet spell (the generic cell rate algorithm: a "theoretical arrival time" that each send pushes on by
/// one interval, with half an interval of tolerance). The tolerance is not for bursts: a timer always fires a little
/// late, and without it every late grant would push all later ones back (at 30/s, 3 ms late costs 8% of the rate).
/// Not thread-safe: <see cref="RateGovernor"/> guards it.
/// </summary>
internal sealed class EvenPace
{
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
    public long TicksUntilFree(long now) => _theoreticalArrival - (Interval / 2) - now;

    public void Record(long now) => _theoreticalArrival = Math.Max(_theoreticalArrival, now) + Interval;

    /// <summary>Takes one interval back (a send that delivered nothing), never into the past.</summary>
    public void GiveBack(long now) => _theoreticalArrival = Math.Max(now, _theoreticalArrival - Interval);
}
