using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Atlas.Bot.Stats;

/// <summary>
/// Decides whether an open counts for a new reader. A reader who taps "Read" twice, or whose browser loads the redirect
/// again, within <see cref="Window"/> is one open. One address counts at most <see cref="PerAddressLimit"/> opens of a
/// link within <see cref="LimitWindow"/>, whatever browsers it names.
/// </summary>
/// <remarks>
/// <para>
/// A reader is an address and a User-Agent. Readers behind one carrier NAT share the address but seldom the exact
/// browser, so they still count, up to the limit. A script that names a new browser on every request is still one
/// address, so it stops at the limit. The limit is a sliding hour: no span of an hour ever holds more than 30 counted
/// opens from one address for one link.
/// </para>
/// <para>
/// An IPv6 address counts by its /64. One host (or household) is given a whole /64 and picks addresses from it freely
/// (privacy addresses), so counting single IPv6 addresses would let one host pass for 2^64 readers. An IPv4 address
/// written as IPv6 (::ffff:a.b.c.d) is that IPv4 address.
/// </para>
/// <para>
/// Only keyed hashes are kept, never an address. The key is random per process, so a stored hash cannot be matched
/// against a list of addresses, and nobody can pick inputs that collide in the map. Memory holds one entry per address
/// and link that counted in the last hour, each with at most <see cref="PerAddressLimit"/> opens. The whole is capped at
/// <see cref="Capacity"/> counted opens. Past the cap the oldest are forgotten early, so a flood from many addresses can
/// make an old address count again, but a first open is never lost. A flood from one address costs one entry, however
/// long it lasts.
/// </para>
/// </remarks>
public sealed class RepeatFilter
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan LimitWindow = TimeSpan.FromHours(1);

    public const int PerAddressLimit = 30;

    /// <summary>
    /// About 36 MB when full of distinct addresses (measured): an hour of a quarter of a million readers, far beyond
    /// the center's traffic.
    /// </summary>
    internal const int DefaultCapacity = 250_000;

    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<UInt128, Address> _addresses = [];
    private readonly Queue<(UInt128 Key, long At)> _byAge = new();
    private readonly Lock _lock = new();

    public RepeatFilter(TimeProvider time)
        : this(time, DefaultCapacity)
    {
    }

    /// <param name="capacity">Counted opens remembered at most (tests use a small one).</param>
    internal RepeatFilter(TimeProvider time, int capacity)
    {
        _time = time;
        _capacity = capacity;
    }

    /// <summary>Address-and-link entries remembered now (for tests: memory stays bounded).</summary>
    internal int Remembered
    {
        get
        {
            lock (_lock)
            {
                return _addresses.Count;
            }
        }
    }

    /// <summary>
    /// <see cref="OpenOutcome.Counted"/>, <see cref="OpenOutcome.Repeat"/> or <see cref="OpenOutcome.Limited"/>.
    /// A counted open is remembered as counted now.
    /// </summary>
    public OpenOutcome Admit(string code, IPAddress? remote, string userAgent)
    {
        var key = KeyOf(code, remote);
        var agent = AgentOf(userAgent);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            ForgetExpired(now);
            if (!_addresses.TryGetValue(key, out var address))
            {
                address = new Address();
                _addresses[key] = address;
            }

            var outcome = address.Admit(now, agent);
            if (outcome == OpenOutcome.Counted)
            {
                _byAge.Enqueue((key, now));
            }

            return outcome;
        }
    }

    private void ForgetExpired(long now)
    {
        var expired = now - (long)LimitWindow.TotalMilliseconds;
        while (_byAge.TryPeek(out var oldest) && (oldest.At <= expired || _byAge.Count >= _capacity))
        {
            _byAge.Dequeue();
            // Only the address's latest open takes the entry with it: an older one leaves it to its own log.
            if (_addresses.TryGetValue(oldest.Key, out var address) && address.Latest <= oldest.At)
            {
                _addresses.Remove(oldest.Key);
            }
        }
    }

    private UInt128 KeyOf(string code, IPAddress? remote)
    {
        // The address's bytes (none when unknown, 4 or 16), their count (which keeps IPv4 apart from IPv6), the code.
        var size = 16 + 1 + Encoding.UTF8.GetByteCount(code);
        Span<byte> source = size <= 128 ? stackalloc byte[size] : new byte[size];
        var length = 0;
        if (remote is not null)
        {
            var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
            address.TryWriteBytes(source, out length);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                source[8..16].Clear();
            }
        }

        source[length] = (byte)length;
        var written = Encoding.UTF8.GetBytes(code, source[(length + 1)..]);
        return Hash(source[..(length + 1 + written)]);
    }

    private ulong AgentOf(string userAgent)
    {
        // On the stack, as KeyOf: a flood sends its User-Agent on every request and should not cost an array each.
        var size = Encoding.UTF8.GetByteCount(userAgent);
        Span<byte> source = size <= 512 ? stackalloc byte[size] : new byte[size];
        Encoding.UTF8.GetBytes(userAgent, source);
        return (ulong)Hash(source);
    }

    private UInt128 Hash(ReadOnlySpan<byte> source)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, source, hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    /// <summary>One address's counted opens of one link in the last hour, oldest first, at most <see cref="PerAddressLimit"/>.</summary>
    private sealed class Address
    {
        // Most addresses open a link once: the log starts with room for one and grows up to the limit.
        private (long At, ulong Agent)[] _opens = new (long, ulong)[1];
        private int _count;

        public long Latest => _count == 0 ? long.MinValue : _opens[_count - 1].At;

        public OpenOutcome Admit(long now, ulong agent)
        {
            DropOlderThan(now - (long)LimitWindow.TotalMilliseconds);
            var repeatSince = now - (long)Window.TotalMilliseconds;
            for (var i = _count - 1; i >= 0 && _opens[i].At > repeatSince; i--)
            {
                if (_opens[i].Agent == agent)
                {
                    return OpenOutcome.Repeat;
                }
            }

            if (_count >= PerAddressLimit)
            {
                return OpenOutcome.Limited;
            }

            if (_count == _opens.Length)
            {
                Array.Resize(ref _opens, Math.Min(_opens.Length * 2, PerAddressLimit));
            }

            _opens[_count++] = (now, agent);
            return OpenOutcome.Counted;
        }

        private void DropOlderThan(long expired)
        {
            var keep = 0;
            while (keep < _count && _opens[keep].At <= expired)
            {
                keep++;
            }

            if (keep > 0)
            {
                Array.Copy(_opens, keep, _opens, 0, _count - keep);
                _count -= keep;
            }
        }
    }
}
