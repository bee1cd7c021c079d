namespace Atlas.Bot.Web;

/// <summary>The HTTP side of the process (configuration section <c>Web</c>).</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>
    /// Reverse proxies in front of the bot (addresses or networks: "172.18.0.2", "10.0.0.0/8"). A request from one of
    /// them is taken to come from the address its X-Forwarded-For names, so each reader is told apart when opens are
    /// de-duplicated. Unset: the connection's own address, and X-Forwarded-For is ignored (anyone could write it).
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];
}
