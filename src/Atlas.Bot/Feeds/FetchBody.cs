using System.Buffers;

namespace Atlas.Bot.Feeds;

/// <summary>Reads a body into memory without ever holding more than the cap plus one byte.</summary>
internal static class FetchBody
{
    private const int FirstChunk = 64 * 1024;

    /// <summary>The whole stream, or null as soon as it proves longer than <paramref name="maxBytes"/>.</summary>
    /// <param name="expectedLength">Content-Length or file size when known, to size the buffer once.</param>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, long? expectedLength, CancellationToken ct)
    {
        // One byte past the cap is enough to tell "exactly the cap" from "too large".
        var limit = maxBytes + 1;
        var initial = expectedLength is { } known && known < limit ? (int)known + 1 : Math.Min(FirstChunk, limit);
        var buffer = ArrayPool<byte>.Shared.Rent(initial);
        var length = 0;
        try
        {
            while (true)
            {
                // The pool may hand out a larger array than asked; never read past the limit anyway.
                var window = Math.Min(buffer.Length, limit);
                if (length == window)
                {
                    buffer = Grow(buffer, length, (int)Math.Min(buffer.Length * 2L, limit));
                    window = Math.Min(buffer.Length, limit);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, window - length), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.AsSpan(0, length).ToArray();
                }

                length += read;
                if (length > maxBytes)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int length, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
