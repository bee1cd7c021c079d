using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Web;

/// <summary>
/// Behind a reverse proxy every reader would share the proxy's address: the open counter would take different
/// readers with the same browser for one reader's repeats, and would count at most
/// <see cref="Stats.RepeatFilter.PerAddressLimit"/> opens of an analysis an hour in all. With
/// <see cref="WebOptions.TrustedProxies"/> set, the client address comes from X-Forwarded-For, but only on requests
/// that arrive from those proxies.
/// </summary>
public static class TrustedProxies
{
    /// <summary>Reads "10.0.0.0/8" or "172.18.0.2" (one address); null when <paramref name="entry"/> is neither.</summary>
    public static IPNetwork? Parse(string entry)
    {
        var text = entry.Trim();
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        return IPAddress.TryParse(text, out var address)
            ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : null;
    }

    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        var networks = app.Services.GetRequiredService<IOptions<WebOptions>>().Value.TrustedProxies
            .Select(Parse)
            .OfType<IPNetwork>()
            .ToList();
        if (networks.Count == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk back through every trusted hop (a CDN in front of nginx, say): the first untrusted address is the reader.
            ForwardLimit = null,
        };
        // Exactly the configured proxies: not even loopback is trusted unless it is listed.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(network);
        }

        app.UseForwardedHeaders(options);
        return app;
    }
}
