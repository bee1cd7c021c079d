using System.Net;

namespace Atlas.Bot.Stats;

/// <summary>What became of an open.</summary>
public enum OpenOutcome
{
    Counted,

    /// <summary>A link-preview fetcher, crawler or script (see <see cref="Crawlers"/>).</summary>
    Crawler,

    /// <summary>The same client opened the same link within <see cref="RepeatFilter.Window"/>.</summary>
    Repeat,

    /// <summary>
    /// The address has had <see cref="RepeatFilter.PerAddressLimit"/> opens of the link counted within
    /// <see cref="RepeatFilter.LimitWindow"/>, whatever its browsers: a flood, not readers.
    /// </summary>
    Limited,

    /// <summary>The buffer was full or closed for shutdown.</summary>
    Refused,
}

/// <summary>Decides whether an open counts and, when it does, buffers it: never waits for the database.</summary>
public sealed partial class OpenCounter(RepeatFilter repeats, OpenBuffer buffer, BotMetrics metrics, TimeProvider time, ILogger<OpenCounter> log)
{
    public OpenOutcome Count(string code, TrackedLink link, IPAddress? remote, string? userAgent)
    {
        var outcome = Decide(code, link, remote, userAgent);
        LogOpen(code, outcome);
        if (outcome != OpenOutcome.Counted)
        {
            metrics.OpenNotCounted(outcome);
        }

        return outcome;
    }

    private OpenOutcome Decide(string code, TrackedLink link, IPAddress? remote, string? userAgent)
    {
        if (Crawlers.IsCrawler(userAgent))
        {
            return OpenOutcome.Crawler;
        }

        if (repeats.Admit(code, remote, userAgent) is not OpenOutcome.Counted and var outcome)
        {
            return outcome;
        }

        if (!buffer.TryAdd(link.ItemSeq, time.GetUtcNow()))
        {
            LogRefused();
            return OpenOutcome.Refused;
        }

        metrics.Opened();
        return OpenOutcome.Counted;
    }

    [LoggerMessage(EventId = 7003, Level = LogLevel.Trace, Message = "Open of {Code}: {Outcome}")]
    private partial void LogOpen(string code, OpenOutcome outcome);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Warning, Message = "An open was not counted: the buffer is full or closed")]
    private partial void LogRefused();
}
