using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Atlas.Bot.Feeds;

/// <summary>
/// Which addresses a fetch of an address nobody configured may connect to: public ones only, not loopback,
/// link-local, private, carrier-grade NAT, multicast or reserved networks, however they are written (an IPv4
/// address mapped into IPv6, or behind the NAT64 and 6to4 prefixes, is judged as the IPv4 address it stands for).
/// </summary>
/// <remarks>
/// The check is made when connecting (<see cref="ConnectCallback"/>), on the addresses the connection is then made
/// to: a redirect to a private address is refused like a link to one, and a name that resolves to a public address
/// when checked and a private one when used (DNS rebinding) cannot slip through between the two.
/// </remarks>
public static class PublicAddresses
{
    private static readonly IPNetwork[] NotPublic =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "64:ff9b:1::/48", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(network => IPNetwork.Parse(network)),
    ];

    /// <summary>The well-known NAT64 prefix (RFC 6052): the last 32 bits are an IPv4 address.</summary>
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>6to4 (RFC 3056): bits 16 to 47 are an IPv4 address.</summary>
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } embedded)
        {
            return IsPublic(embedded);
        }

        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            && !Array.Exists(NotPublic, network => network.Contains(address));
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host itself, refuses it when any of its
    /// addresses is not <paramref name="allowed"/> (a <see cref="NonPublicAddressException"/>), and otherwise connects
    /// to exactly the addresses it checked.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(Func<IPAddress, bool> allowed) =>
        async (context, ct) =>
        {
            var endpoint = context.DnsEndPoint;
            // An IPv6 literal arrives in brackets ("[::1]").
            var host = endpoint.Host.TrimStart('[').TrimEnd(']');
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            if (Array.Find(addresses, address => !allowed(address)) is { } refused)
            {
                throw new NonPublicAddressException(host, refused);
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, endpoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return Nat64.Contains(address) ? new IPAddress(bytes.AsSpan(12, 4))
            : SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4))
            : null;
    }
}

/// <summary>A connection refused before it was made: <see cref="Host"/> is, or resolves to, <see cref="Address"/>, which is not public.</summary>
public sealed class NonPublicAddressException(string host, IPAddress address)
    : IOException($"{host} is not a public address ({address})")
{
    public string Host { get; } = host;

    public IPAddress Address { get; } = address;
}
