using System.ComponentModel.DataAnnotations;

namespace Atlas.Bot.Commands;

/// <summary>
/// How often the bot answers commands and button presses (configuration section <c>Commands</c>): answers go ahead
/// of posts, so without a limit one person, or the members of one group, could spend the sending budget of a fan-out.
/// </summary>
public sealed class CommandLimits
{
    public const string Section = "Commands";

    /// <summary>Seconds between two answers to one person, wherever they ask; 0 turns this limit off.</summary>
    [Range(0, 3_600)]
    public int PerUserSeconds { get; set; } = 2;

    /// <summary>Answers a minute in one group, whoever of its members asks.</summary>
    [Range(1, 10_000)]
    public int GroupPerMinute { get; set; } = 20;
}
