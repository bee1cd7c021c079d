namespace Atlas.Bot.Feeds.WebSub;

/// <summary>What to subscribe to: the topic URL the hubs know the feed by, and the hubs that publish it.</summary>
/// <param name="Hubs">At least one, each http(s), in the order the source named them.</param>
public sealed record WebSubTopic(Uri Topic, IReadOnlyList<Uri> Hubs);

/// <summary>
/// WebSub discovery (W3C WebSub §4) from what a fetch saw: the response's Link headers first, then the feed's own
/// hub and self links. Pure: no I/O, no clock.
/// </summary>
public static class HubDiscovery
{
    /// <param name="header">Hub and self links from the feed response's Link headers.</param>
    /// <param name="feed">Hub and self links from the feed document (RSS atom:link, Atom link).</param>
    /// <param name="fetchedUrl">The URL the bot polls; the topic only when no self link names one.</param>
    /// <returns>The topic and its hubs, or null when no http(s) hub is named or the topic would not be an http(s) URL.</returns>
    public static WebSubTopic? Discover(WebSubLinks header, WebSubLinks feed, Uri? fetchedUrl)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(feed);

        // Link headers take precedence (§4). Each relation falls back to the document on its own: a server that adds
        // only a hub header still leaves the feed's self link in force.
        var hubs = (header.Hubs.Any(IsWeb) ? header.Hubs : feed.Hubs).Where(IsWeb).ToList();
        if (hubs.Count == 0)
        {
            return null;
        }

        // The spec's topic is the self URL: the hub knows the feed by it, and a push names it. A feed that names hubs but
        // no self link is read as being its own topic at the URL the bot fetched; a hub that publishes it under another
        // URL will refuse or never confirm the subscription, and polling goes on as before.
        var topic = header.Self ?? feed.Self ?? fetchedUrl;
        return topic is not null && IsWeb(topic) ? new WebSubTopic(topic, hubs) : null;
    }

    private static bool IsWeb(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
