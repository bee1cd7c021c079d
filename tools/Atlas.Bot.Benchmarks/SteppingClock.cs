namespace Atlas.Bot.Benchmarks;

/// <summary>
/// A clock that moves a fixed step each time it is read, so a benchmark sees the same sequence of instants however
/// fast the machine is: the governor's decisions, and so the measured path, do not depend on the benchmark's own speed.
/// </summary>
internal sealed class SteppingClock(TimeSpan step) : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks += step.Ticks;
}
