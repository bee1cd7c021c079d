namespace Atlas.Bot.Web;

/// <summary>The HTTP side of the process (configuration section <c>Web</c>).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Where the endpoints listen unless the root key <c>Urls</c> says otherwise.</summary>
    public const string DefaultUrls = "http://0.0.0.0:8080";

    /// <summary>
    /// Reverse proxies in front of the bot (addresses or networks: "172.18.0.2", "10.0.0.0/8"). A request from one of
    /// them is taken to come from the address its X-Forwarded-For names, so each reader is told apart when opens are
    /// de-duplicated. Unset: the connection's own address, and X-Forwarded-For is ignored (anyone could write it).
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>
    /// Where /metrics and /healthz (live, ready) are served instead of <c>Urls</c>: "http://127.0.0.1:9090", or several
    /// separated by ';'. Readiness names feeds, their errors and where they redirect, and the metrics describe the
    /// whole service; <c>Urls</c> must be public for /r/ and the webhook. Set, the public port answers 404 for them and
    /// this port serves nothing else. Unset: everything on <c>Urls</c>.
    /// </summary>
    public string? ManagementUrls { get; set; }
}
