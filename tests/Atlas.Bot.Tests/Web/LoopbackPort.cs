using System.Net;
using System.Net.Sockets;

namespace Atlas.Bot.Tests.Web;

/// <summary>A loopback port for a host whose address must be configured before it starts (so it cannot be 0).</summary>
public static class LoopbackPort
{
    /// <summary>A port that was free a moment ago.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
