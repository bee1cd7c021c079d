using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Stats;

/// <summary>View counts (configuration section <c>Stats</c>).</summary>
public sealed class StatsOptions
{
    public const string Section = "Stats";

    /// <summary>Days are calendar days in this zone: "today" on /stats is today in Baku.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Baku";

    /// <summary>Per-minute open counts older than this are pruned; the daily figures are kept forever.</summary>
    [Range(1, 36_500)]
    public int RetentionDays { get; set; } = 90;
}
