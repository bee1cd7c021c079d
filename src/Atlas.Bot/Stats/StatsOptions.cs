using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Stats;

/// <summary>View counts (configuration section <c>Stats</c>).</summary>
public sealed class StatsOptions
{
    public const string Section = "Stats";

    /// <summary>Days are calendar days in this zone: "today" on /stats is today in Baku.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Baku";

    /// <summary>Raw open events older than this are pruned; the daily figures are kept forever.</summary>
    [Range(1, 36_500)]
    public int RetentionDays { get; set; } = 90;
}

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
}
