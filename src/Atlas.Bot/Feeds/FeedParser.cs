using Atlas.Bot.Feeds.Parsing;

namespace Atlas.Bot.Feeds;

/// <summary>
/// Reads a decoded feed document (RSS, Atom, JSON Feed) into a <see cref="ParsedFeed"/>: every URL absolute,
/// every date an instant, titles plain text. Broken XML is mended where the intent is plain and otherwise
/// reported as <see cref="FeedParseResult.Unreadable"/>; this method never throws for bad input.
/// </summary>
public static class FeedParser
{
    /// <param name="baseUri">The feed's final URL (or Content-Location): what relative links are relative to.</param>
    /// <param name="timeZone">The zone for dates written without one.</param>
    public static FeedParseResult Parse(string text, Uri? baseUri, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new FeedParseResult.Unreadable("empty document");
        }

        try
        {
            var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            if (trimmed.StartsWith('{'))
            {
                return JsonFeedReader.Read(trimmed, baseUri, timeZone);
            }
            return ReadXml(trimmed, baseUri, timeZone);
        }
#pragma warning disable CA1031 // Bad input must become a value: any library failure on it is "unreadable", not a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new FeedParseResult.Unreadable($"unreadable feed: {e.Message}");
        }
    }

    private static FeedParseResult ReadXml(string text, Uri? baseUri, TimeZoneInfo timeZone)
    {
        if (LooksLikeHtmlPage(text))
        {
            return new FeedParseResult.Unreadable("not a feed: <html> page");
        }

        var prepared = XmlPreparation.Prepare(text);
        var load = SafeXml.Load(prepared);
        if (load is XmlLoad.Failed)
        {
            var repaired = XmlRepair.Repair(prepared);
            load = SafeXml.Load(repaired);
            if (load is XmlLoad.Failed { EndedEarly: true })
            {
                load = SafeXml.Load(XmlRepair.CloseTruncated(repaired));
            }
        }

        return load switch
        {
            XmlLoad.Loaded loaded => XmlFeedReader.Read(loaded.Document, baseUri, timeZone),
            XmlLoad.Failed failed => new FeedParseResult.Unreadable($"not well-formed XML at line {failed.Line}"),
            _ => new FeedParseResult.Unreadable("unreadable feed"),
        };
    }

    private static bool LooksLikeHtmlPage(string text)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, 1024));
        return head.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase)
            || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }
}
