using System.Globalization;

namespace Atlas.Bot.Feeds;

/// <summary>
/// How two spellings of one topic are known to be the same: trimmed, inner whitespace collapsed, and case folded in the
/// feed's own language (Azerbaijani "İ"/"ı" and Russian "Ё" fold as a reader of that language expects). The key is what
/// the store compares and a subscriber's choice holds; the topic is shown as the feed last wrote it.
/// </summary>
public static class TopicKey
{
    /// <returns>The key, or null for a topic that is only whitespace.</returns>
    public static string? Of(string? topic, string language)
    {
        if (string.IsNullOrWhiteSpace(topic))
        {
            return null;
        }

        var culture = CultureFor(language);
        return string.Join(' ', topic.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLower(culture);
    }

    /// <summary>The topic as shown: trimmed, inner whitespace collapsed, case kept.</summary>
    public static string? Shown(string? topic) =>
        string.IsNullOrWhiteSpace(topic) ? null : string.Join(' ', topic.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static CultureInfo CultureFor(string language)
    {
        try
        {
            return CultureInfo.GetCultureInfo(language);
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }
}
