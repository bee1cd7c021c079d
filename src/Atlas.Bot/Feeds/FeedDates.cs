using Atlas.Bot.Feeds.Dates;

namespace Atlas.Bot.Feeds;

/// <summary>Reads the dates feeds actually carry: RFC 822 and its variants, ISO 8601 / W3CDTF, a few localised forms.</summary>
public static class FeedDates
{
    /// <summary>The instant <paramref name="s"/> names, or null when it is not a date.</summary>
    /// <param name="zoneForNaive">The zone a date without an offset is read in (the center's sites publish in Asia/Baku).</param>
    public static DateTimeOffset? Parse(string? s, TimeZoneInfo zoneForNaive)
    {
        ArgumentNullException.ThrowIfNull(zoneForNaive);
        var text = s?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 100)
        {
            return null;
        }

        var parts = (text.Any(c => c is >= '\uAC00' and <= '\uD7A3') ? KoreanDates.Read(text) : null)
            ?? (char.IsAsciiDigit(text[0]) || text[0] == '-' ? IsoDates.Read(text) : null)
            ?? TextualDates.Read(text);
        return parts?.ToInstant(zoneForNaive);
    }
}
