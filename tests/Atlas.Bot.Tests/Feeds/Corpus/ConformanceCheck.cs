using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Atlas.Bot.Feeds;

namespace Atlas.Bot.Tests.Feeds.Corpus;

/// <summary>
/// Compares one expected value with what the reading path produced. Normalisation, all of it deliberate:
/// text is trimmed and runs of whitespace collapse to one space; titles are plain text in Atlas.Bot, so a
/// title passes when it equals the expected value or the expected value's plain text, read once or, where the peer
/// keeps escaped markup as written (gofeed's "&amp;lt;p&amp;gt;Item Title&amp;lt;/p&amp;gt;" from a CDATA section), twice:
/// a reader sees the title, not its tags; HTML fields pass when
/// the markup matches, when it matches after decoding entities, or when the text a reader sees matches
/// (feedparser sanitises and re-serialises markup; a Telegram post shows the text); dates are compared as
/// UTC instants.
/// </summary>
internal static class ConformanceCheck
{
    /// <param name="Lenient">Passed only once markup was set aside (the visible text matched, the HTML did not).</param>
    public sealed record Outcome(string Key, bool Passed, string Expected, string Actual, bool Lenient = false);

    public static Outcome Check(string key, JsonElement expected, FeedParseResult result)
    {
        var feed = (result as FeedParseResult.Parsed)?.Feed;
        var first = feed is { Items.Count: > 0 } ? feed.Items[0] : null;
        var expectedText = expected.ValueKind == JsonValueKind.String ? expected.GetString()! : expected.GetRawText();
        if (key == "parse_ok")
        {
            return new(key, expected.GetBoolean() == (feed is not null), expectedText, Describe(result));
        }
        if (feed is null)
        {
            return new(key, false, expectedText, Describe(result));
        }

        return key switch
        {
            "item_count" => Compare(key, expectedText, feed.Items.Count.ToString(CultureInfo.InvariantCulture), Exact),
            "item_ids" => Compare(key, string.Join(" | ", expected.EnumerateArray().Select(e => e.GetString())), string.Join(" | ", feed.Items.Select(i => i.Id)), Exact),
            "feed_title" => Compare(key, expectedText, feed.Title, Title),
            "feed_link" => Compare(key, expectedText, feed.Link, Exact),
            "feed_description" => Compare(key, expectedText, feed.Description, Html),
            "first_item_title" => Compare(key, expectedText, first?.Title, Title),
            "first_item_title_text" => Compare(key, expectedText, first?.Title, Exact),
            "first_item_link" => Compare(key, expectedText, first?.Link, Exact),
            "first_item_id" => Compare(key, expectedText, first?.Id, Exact),
            "first_item_date" => Compare(key, expectedText, first?.Published?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), SameInstant),
            "first_item_summary" => Compare(key, expectedText, first?.SummaryHtml, Html),
            "first_item_content" => Compare(key, expectedText, first?.ContentHtml, Html),
            "first_item_author" => Compare(key, expectedText, first?.Author, Exact),
            "first_item_image" => Compare(key, expectedText, first?.ImageUrl, Exact),
            "first_item_enclosure_url" => Compare(key, expectedText, first?.EnclosureUrl, Exact),
            _ => new(key, true, expectedText, "(not a checked key)"),
        };
    }

    /// <summary>Keys that describe the expectation rather than assert a value.</summary>
    public static bool IsChecked(string key) => key is not "first_item_date_source";

    private static Outcome Compare(string key, string expected, string? actual, Func<string, string, bool> equal)
    {
        var passed = actual is not null && equal(expected, actual);
        var lenient = passed && !Exact(expected, actual!) && Collapse(WebUtility.HtmlDecode(expected)) != Collapse(WebUtility.HtmlDecode(actual!));
        return new(key, passed, expected, actual ?? "(null)", lenient);
    }

    private static bool Exact(string expected, string actual) => Collapse(expected) == Collapse(actual);

    private static bool Title(string expected, string actual) =>
        Exact(expected, actual) || Collapse(PlainText(expected)) == Collapse(actual) || Collapse(PlainText(PlainText(expected))) == Collapse(actual);

    private static bool Html(string expected, string actual) =>
        Exact(expected, actual)
        || Collapse(WebUtility.HtmlDecode(expected)) == Collapse(WebUtility.HtmlDecode(actual))
        || Collapse(PlainText(expected)) == Collapse(PlainText(actual));

    private static bool SameInstant(string expected, string actual) =>
        DateTimeOffset.TryParse(expected, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)
        && DateTimeOffset.TryParse(actual, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var a)
        && e == a;

    private static string PlainText(string html)
    {
        var document = new HtmlParser().ParseDocument(string.Empty);
        document.Body!.InnerHtml = html;
        return document.Body.TextContent;
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Describe(FeedParseResult result) => result switch
    {
        FeedParseResult.Parsed => "parsed",
        FeedParseResult.Unreadable u => "unreadable: " + u.Reason,
        _ => "?",
    };
}
