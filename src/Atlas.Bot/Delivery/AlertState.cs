using System.Globalization;

namespace Atlas.Bot.Delivery;

/// <summary>
/// One problem the admins may be told about, as remembered in bot_state: whether it is open now, and the
/// number of its latest episode ("down:3" or "up:3"). The episode number keeps each alert's outbox key
/// unique, so telling it again after a crash queues nothing twice.
/// </summary>
internal sealed record AlertState(bool Down, int Episode)
{
    public static readonly AlertState Never = new(Down: false, Episode: 0);

    /// <summary>Anything unreadable counts as "never alerted": at worst the admins hear of the next problem twice.</summary>
    public static AlertState Parse(string? value)
    {
        var parts = value?.Split(':') ?? [];
        return parts.Length == 2
            && parts[0] is "down" or "up"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var episode)
            ? new AlertState(parts[0] == "down", episode)
            : Never;
    }

    public AlertState Opened() => new(Down: true, Episode + 1);

    public AlertState Closed() => this with { Down = false };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(Down ? "down" : "up")}:{Episode}");
}
