namespace Atlas.Bot.Feeds;

/// <summary>Limits for one feed fetch; bound from the configuration section "Fetch".</summary>
public sealed class FetchOptions
{
    public const string Section = "Fetch";

    /// <summary>Largest cap accepted: the body is held in one array, and no feed is anywhere near this.</summary>
    public const int LargestMaxBytes = 1024 * 1024 * 1024;

    /// <summary>Fetch__MaxBytes unless configured; also the most a feed may grow to while its entities are inlined.</summary>
    public const int DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>How long one fetch may take, headers and body together.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most bytes a body may have after decompression.</summary>
    public int MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>
    /// Whether an address nobody configured (an admin's /preview &lt;url&gt;) may reach loopback, link-local and
    /// private networks. Off: a bot account taken over must not become a way into the network the bot runs in.
    /// Configured feeds are trusted as they are.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }
}
