using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Delivery;

/// <summary>When the admins are told about a problem (configuration section <c>Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Failed polls in a row after which a feed counts as down and the admins hear of it.</summary>
    [Range(1, 1_000)]
    public int FeedFailures { get; set; } = 5;
}
