using Atlas.Bot.Storage;

namespace Atlas.Bot.Delivery;

/// <summary>
/// Quiet hours: a subscriber's posts that go out inside their span go at once, silently (disable_notification), never
/// held back. Hours are the center's (Stats__TimeZone): Telegram does not tell a bot where a user is. The clock is read
/// when a delivery is sent, not when it was queued, so a post that waited is judged by the hour it arrives in.
/// </summary>
public static class QuietHours
{
    /// <summary>Whether <paramref name="delivery"/>, sent at <paramref name="now"/>, goes silently: subscribers' posts, announcements and digests only.</summary>
    public static bool Silences(ClaimedDelivery delivery, DateTimeOffset now, TimeZoneInfo zone) =>
        delivery.Target == DeliveryTargets.Subscriber && IsQuiet(delivery.Quiet, now, zone);

    /// <summary>Whether <paramref name="now"/> falls inside <paramref name="span"/> on the wall clock of <paramref name="zone"/>.</summary>
    public static bool IsQuiet(QuietSpan? span, DateTimeOffset now, TimeZoneInfo zone) =>
        span is { } quiet && Contains(quiet, TimeZoneInfo.ConvertTime(now, zone).Hour);

    /// <summary>
    /// Whether the hour starting at <paramref name="hour"/>:00 is quiet: from Start:00 up to End:00, across midnight when
    /// End is the smaller (22–07 is 22:00 to 06:59:59). A span that starts where it ends is none.
    /// </summary>
    public static bool Contains(QuietSpan span, int hour) =>
        span.Start < span.End
            ? hour >= span.Start && hour < span.End
            : span.Start > span.End && (hour >= span.Start || hour < span.End);

    /// <summary>Whether <paramref name="span"/> is one a chat may keep: whole hours 0 to 23, start and end apart.</summary>
    public static bool IsValid(QuietSpan span) =>
        span.Start is >= 0 and <= 23 && span.End is >= 0 and <= 23 && span.Start != span.End;
}
