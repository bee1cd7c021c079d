using System.Threading.Channels;

namespace Atlas.Bot.Stats;

/// <summary>
/// Counted opens waiting to be written: the redirect adds to it without waiting, <see cref="OpenRecorder"/>
/// writes it to the database in batches.
/// </summary>
public sealed class OpenBuffer
{
    /// <summary>
    /// Hours of the busiest traffic the center has seen while the database is unavailable (about 24 MB);
    /// beyond that an open is refused rather than the process running out of memory.
    /// </summary>
    internal const int Capacity = 1_000_000;

    private readonly Channel<(long ItemSeq, DateTimeOffset At)> _opens = Channel.CreateBounded<(long ItemSeq, DateTimeOffset At)>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    internal ChannelReader<(long ItemSeq, DateTimeOffset At)> Reader => _opens.Reader;

    /// <summary>Adds an open; false when the buffer is full or closed for shutdown (never waits).</summary>
    public bool TryAdd(long itemSeq, DateTimeOffset at) => _opens.Writer.TryWrite((itemSeq, at));

    /// <summary>No more opens: what is buffered is written, anything later is refused.</summary>
    internal void Close() => _opens.Writer.TryComplete();
}
