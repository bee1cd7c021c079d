namespace Atlas.Bot.Telegram;

/// <summary>
/// Spreads a per-second budget evenly: one send every 1/N s, with at most a tenth of a second's worth at once after a
/// quiet spell (the generic cell rate algorithm: a "theoretical arrival time" that each send pushes on by one interval).
/// Not thread-safe: <see cref="RateGovernor"/> guards it.
/// </summary>
internal sealed class EvenPace
{
    private readonly long _tolerance;
    private long _theoreticalArrival = long.MinValue / 2;

    public EvenPace(int perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1);
        Interval = TimeSpan.TicksPerSecond / perSecond;
        var burst = Math.Max(1, perSecond / 10);
        _tolerance = (burst - 1) * Interval;
    }

    /// <summary>Ticks between sends at the steady pace.</summary>
    public long Interval { get; }

    /// <summary>Ticks until one more send fits; zero or less when it fits now.</summary>
    public long TicksUntilFree(long now) => _theoreticalArrival - _tolerance - now;

    public void Record(long now) => _theoreticalArrival = Math.Max(_theoreticalArrival, now) + Interval;

    /// <summary>Takes the newest send back, as if it had not happened.</summary>
    public void GiveBack() => _theoreticalArrival -= Interval;
}
