using Microsoft.Extensions.Options;

namespace Atlas.Bot.Web;

/// <summary>The section "Web": the trusted proxies, and management addresses that share no port with the public ones.</summary>
/// <param name="publicUrls">The root key <c>Urls</c> as configured (unset: <see cref="WebOptions.DefaultUrls"/>).</param>
public sealed class WebOptionsValidator(string? publicUrls) : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            if (TrustedProxies.Parse(options.TrustedProxies[i]) is null)
            {
                problems.Add($"Web:TrustedProxies:{i} '{options.TrustedProxies[i]}' must be a proxy's IP address or network, e.g. 172.18.0.2 or 10.0.0.0/8.");
            }
        }

        var publicPorts = ListenUrls.Ports(string.IsNullOrWhiteSpace(publicUrls) ? WebOptions.DefaultUrls : publicUrls);
        foreach (var url in ListenUrls.Split(options.ManagementUrls))
        {
            // Requests are told apart by the port they arrive on, so each management address names one of its own.
            if (ListenUrls.Parse(url) is not { Scheme: "http", IsUnixPipe: false, PathBase: "", Port: > 0 } address
                || !url.TrimEnd('/').EndsWith($":{address.Port}", StringComparison.Ordinal))
            {
                problems.Add($"Web:ManagementUrls '{url}' must be an http address with a port, e.g. http://127.0.0.1:9090.");
            }
            else if (publicPorts.Contains(address.Port))
            {
                problems.Add($"Web:ManagementUrls '{url}' uses port {address.Port}, which Urls serves to the public: give the management endpoints a port of their own, e.g. http://127.0.0.1:9090.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
