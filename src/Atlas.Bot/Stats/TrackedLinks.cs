using System.Collections.Concurrent;
using System.Data.Common;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Stats;

/// <summary>Where a tracked link leads: the item it counts for and the article it redirects to.</summary>
public sealed record TrackedLink(long ItemSeq, Uri Article);

/// <summary>What looking a code up found.</summary>
public enum LinkState
{
    Found,
    Unknown,

    /// <summary>The database could not be read: the reader may try again.</summary>
    Unavailable,
}

public readonly record struct LinkLookup(LinkState State, TrackedLink? Link)
{
    public static LinkLookup Unknown { get; } = new(LinkState.Unknown, null);

    public static LinkLookup Unavailable { get; } = new(LinkState.Unavailable, null);

    public static LinkLookup Found(TrackedLink link) => new(LinkState.Found, link);
}

/// <summary>
/// Tracked-link codes, looked up once: a code never changes what it leads to, so a known code is kept in
/// memory and an open costs no database read. Unknown codes are remembered briefly too, so that someone
/// trying codes at random reads the database at most once a minute per code.
/// </summary>
/// <remarks>
/// Both maps are bounded; a full map starts over (every code is read once more), which keeps the memory
/// fixed without the bookkeeping of an LRU and happens far less often than a restart would anyway.
/// </remarks>
public sealed partial class TrackedLinks(Store store, TimeProvider time, ILogger<TrackedLinks> log)
{
    internal const int KnownCapacity = 100_000;
    internal const int UnknownCapacity = 10_000;
    internal static readonly TimeSpan UnknownFor = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, TrackedLink> _known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unknownUntil = new(StringComparer.Ordinal);

    /// <param name="code">A well-formed code (<see cref="LinkCodes.IsWellFormed"/>).</param>
    public async ValueTask<LinkLookup> FindAsync(string code, CancellationToken ct)
    {
        if (_known.TryGetValue(code, out var link))
        {
            return LinkLookup.Found(link);
        }

        var now = time.GetUtcNow();
        if (_unknownUntil.TryGetValue(code, out var until) && now < until)
        {
            return LinkLookup.Unknown;
        }

        TrackedItem? item;
        try
        {
            item = await store.FindTrackedItemByCodeAsync(code, ct);
        }
        catch (DbException failure)
        {
            LogUnavailable(failure);
            return LinkLookup.Unavailable;
        }

        // The store also finds items by their link; only the code itself counts here.
        if (item is null || !string.Equals(item.Code, code, StringComparison.Ordinal) || ArticleOf(item) is not { } article)
        {
            LogUnknown(code);
            Remember(_unknownUntil, code, now + UnknownFor, UnknownCapacity);
            return LinkLookup.Unknown;
        }

        link = new TrackedLink(item.ItemSeq, article);
        Remember(_known, code, link, KnownCapacity);
        return LinkLookup.Found(link);
    }

    /// <summary>Only an absolute http(s) link is a place to send a reader (never javascript: or a relative path).</summary>
    private static Uri? ArticleOf(TrackedItem item) =>
        Uri.TryCreate(item.Link, UriKind.Absolute, out var article) && (article.Scheme == Uri.UriSchemeHttps || article.Scheme == Uri.UriSchemeHttp)
            ? article
            : null;

    private static void Remember<T>(ConcurrentDictionary<string, T> map, string code, T value, int capacity)
    {
        // Count takes every lock of the map: affordable here, on a miss that has just read the database.
        if (map.Count >= capacity)
        {
            map.Clear();
        }

        map[code] = value;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "Tracked link {Code} is not known")]
    private partial void LogUnknown(string code);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Could not look a tracked link up")]
    private partial void LogUnavailable(Exception failure);
}
