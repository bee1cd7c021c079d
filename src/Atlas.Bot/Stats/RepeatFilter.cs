using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Atlas.Bot.Stats;

/// <summary>
/// Counts an open once per client and link within <see cref="Window"/>: a reader who taps "Read" twice, or
/// whose browser loads the redirect again, is one open. The client is the remote address and the User-Agent.
/// </summary>
/// <remarks>
/// Only a hash of (code, address, User-Agent) is kept, never the address itself, and only for the window:
/// memory is bounded by the opens counted in the last five minutes, and capped at <see cref="Capacity"/>
/// (past the cap the oldest clients are forgotten early, so a flood can make a repeat count, never a first
/// open be lost).
/// </remarks>
public sealed class RepeatFilter(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>About 80 MB at most: far beyond five minutes of the center's traffic.</summary>
    internal const int Capacity = 1_000_000;

    private readonly Dictionary<UInt128, DateTimeOffset> _lastCounted = [];
    private readonly Queue<(UInt128 Key, DateTimeOffset At)> _byAge = new();
    private readonly Lock _lock = new();

    /// <summary>
    /// Whether this open repeats one already counted for the same client and code within the window;
    /// when it does not, it is remembered as counted now.
    /// </summary>
    public bool IsRepeat(string code, IPAddress? remote, string userAgent)
    {
        var key = KeyOf(code, remote, userAgent);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            ForgetOlderThanWindow(now);
            if (_lastCounted.TryGetValue(key, out var counted) && now - counted < Window)
            {
                return true;
            }

            _lastCounted[key] = now;
            _byAge.Enqueue((key, now));
            return false;
        }
    }

    private void ForgetOlderThanWindow(DateTimeOffset now)
    {
        while (_byAge.TryPeek(out var oldest) && (now - oldest.At >= Window || _byAge.Count >= Capacity))
        {
            _byAge.Dequeue();
            if (_lastCounted.TryGetValue(oldest.Key, out var counted) && counted == oldest.At)
            {
                _lastCounted.Remove(oldest.Key);
            }
        }
    }

    private static UInt128 KeyOf(string code, IPAddress? remote, string userAgent)
    {
        // A cryptographic hash, so that two clients colliding (and one open going uncounted) is out of the question.
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{code}\n{remote}\n{userAgent}"), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}
