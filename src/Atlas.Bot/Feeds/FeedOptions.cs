namespace Atlas.Bot.Feeds;

/// <summary>Whether a feed is also followed by WebSub push (W3C WebSub) besides its polls.</summary>
public enum WebSubMode
{
    /// <summary>Subscribe when the feed names a hub and Tracking:PublicBaseUrl gives the bot a public address.</summary>
    Auto,

    /// <summary>Never subscribe: the feed is only polled.</summary>
    Off,
}

/// <summary>One of the center's feeds (configuration section <c>Feeds:N</c>).</summary>
public sealed class FeedOptions
{
    public string Id { get; set; } = "";

    /// <summary>http(s) URL or a file path; a relative path is read relative to the configuration file.</summary>
    public string Url { get; set; } = "";

    /// <summary>az, en or ru: the language of the post's labels and of the subscribers it reaches.</summary>
    public string Language { get; set; } = "en";

    /// <summary>
    /// Each channel or group the feed is posted to: @username or numeric chat id, optionally "/topic" for one topic of a
    /// forum supergroup (see <see cref="ChannelEntry"/>).
    /// </summary>
    public List<string> Channels { get; set; } = [];

    /// <summary>The feed's channel posts go out with disable_notification: they arrive without a sound.</summary>
    public bool Silent { get; set; }

    /// <summary>Quartz cron expression, evaluated in <see cref="TimeZone"/>; default every 2 minutes.</summary>
    public string Schedule { get; set; } = "0 0/2 * * * ?";

    /// <summary>On the very first poll, how many of the newest existing items are posted (the rest are only recorded).</summary>
    public int Backfill { get; set; }

    /// <summary>IANA zone for dates without a zone, for the schedule, and for the dates shown in posts.</summary>
    public string TimeZone { get; set; } = "Asia/Baku";

    /// <summary>Push on top of polling when the feed's hub allows it; polling continues either way.</summary>
    public WebSubMode WebSub { get; set; } = WebSubMode.Auto;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The configured channel entries, read (the validator has refused any it cannot read).</summary>
    public IReadOnlyList<ChannelEntry> ChannelEntries() => [.. Channels.Select(ChannelEntry.Parse)];
}

/// <summary>The list of feeds, bound from the configuration's root (<c>Feeds:0</c>, <c>Feeds:1</c>, …).</summary>
public sealed class FeedsOptions
{
    public List<FeedOptions> Feeds { get; set; } = [];

    public FeedOptions? Find(string id) => Feeds.Find(feed => string.Equals(feed.Id, id, StringComparison.Ordinal));
}
