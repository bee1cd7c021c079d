using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Delivery;

/// <summary>Tracked "Read" buttons (configuration section <c>Tracking</c>).</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>
    /// The bot's public address, e.g. https://bot.atlas.az: the "Read" button then points to {PublicBaseUrl}/r/{code},
    /// which counts the open and redirects to the article. Unset: buttons link straight to the article.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Reverse proxies in front of the bot (addresses or networks: "172.18.0.2", "10.0.0.0/8"). A request from one of
    /// them is taken to come from the address its X-Forwarded-For names, so each reader is told apart when opens are
    /// de-duplicated. Unset: the connection's own address, and X-Forwarded-For is ignored (anyone could write it).
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];
}
