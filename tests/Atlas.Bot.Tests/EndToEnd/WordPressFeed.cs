using System.Globalization;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>Builds WordPress-shaped RSS documents for end-to-end tests; newest item first, as WordPress writes them.</summary>
public static partial class WordPressFeed
{
    public static readonly DateTimeOffset Day = new(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(4));

    /// <summary>An RSS feed of the given articles, newest first.</summary>
    public static string Rss(params Article[] articles)
    {
        var items = new StringBuilder();
        foreach (var article in articles.OrderByDescending(a => a.Number))
        {
            var image = article.Image is null ? "" : $"<p><img src=\"{article.Image}\" alt=\"\"/></p>";
            items.Append(CultureInfo.InvariantCulture, $"""
                <item>
                  <title>{article.Spacing}{SecurityElement.Escape(article.Title)}{article.Spacing}</title>
                  <link>{article.Link}</link>
                  <guid isPermaLink="false">https://atlas.az/?p={article.Number}</guid>
                  <pubDate>{article.Published.ToUniversalTime():ddd, dd MMM yyyy HH:mm:ss} +0000</pubDate>
                  <dc:creator><![CDATA[Atlas Research Center]]></dc:creator>{string.Concat(article.Categories.Select(c => $"<category><![CDATA[{c}]]></category>"))}
                  <description><![CDATA[{article.Spacing}<p>Summary of analysis {article.Number} &amp; {article.Spacing}its context&nbsp;today.</p>{article.Spacing}]]></description>
                  <content:encoded><![CDATA[{image}<p>Full text of analysis {article.Number}.</p>]]></content:encoded>
                </item>
                """);
        }

        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel>
              <title>Atlas Research Center</title>
              <link>https://atlas.az/en/</link>
              <description>Political analyses</description>
              {items}
            </channel>
            </rss>
            """;
    }

    /// <summary>The article numbers that reached <paramref name="chat"/>, in the order they arrived (other messages, such as replies, left out).</summary>
    public static int[] ArticlesIn(string chat, IEnumerable<SentMessage> messages) =>
        [.. messages.Where(m => m.Chat == chat).OrderBy(m => m.At).ThenBy(m => m.MessageId)
            .Select(m => ArticleNumber().Match(m.Text ?? m.Caption ?? ""))
            .Where(match => match.Success)
            .Select(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))];

    /// <summary>The article numbers of stored titles ("Analysis 2: …"), in their order, as "2,3".</summary>
    public static string NumbersOf(IEnumerable<string> titles) =>
        string.Join(",", titles.Select(title => ArticleNumber().Match(title).Groups[1].Value));

    [GeneratedRegex(@"Analysis (\d+):")]
    private static partial Regex ArticleNumber();
}

/// <summary>One analysis of the test feed; its number orders it in time.</summary>
public sealed record Article(int Number, string? Image = null)
{
    /// <summary>A corrected title (it still starts "Analysis N:"); null: the title as first published.</summary>
    public string? Retitled { get; init; }

    /// <summary>How far the feed moved the publication date after the first post.</summary>
    public TimeSpan Moved { get; init; }

    /// <summary>Whitespace around and inside the title and summary that a reader never sees (the feed re-saved).</summary>
    public string Spacing { get; init; } = "";

    /// <summary>The article's categories (its topics), in the order WordPress writes them.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    public string Title => Retitled ?? $"Analysis {Number}: the South Caucasus after the peace treaty";

    public string Link => $"https://atlas.az/en/analysis-{Number}/";

    public DateTimeOffset Published => WordPressFeed.Day.AddHours(Number) + Moved;
}
