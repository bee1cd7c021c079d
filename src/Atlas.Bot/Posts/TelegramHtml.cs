using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Atlas.Bot.Feeds.Parsing;

namespace Atlas.Bot.Posts;

/// <summary>
/// Turns arbitrary feed HTML (WordPress output, possibly broken) into Telegram's HTML subset.
/// The input is parsed into a DOM the way a browser would, so unclosed and crossing tags are repaired
/// before anything is written, and the output is always well-formed.
/// </summary>
public static class TelegramHtml
{
    // A post shows at most 4096 characters, so the start of an article is all that can reach it; and the HTML
    // parser slows down more than linearly on pathological nesting (30,000 nested <b> tags take ~20 s).
    private const int MaxHtmlLength = 100_000;

    // A new HtmlParser (its browsing context and services) costs about as much as parsing a short body, and every
    // post converts at least one: one parser per thread, as AngleSharp's author advises, since a parser is not
    // thread-safe. The context element is only read (it sets the parsing mode); each fragment gets its own document.
    [ThreadStatic]
    private static HtmlParser? parser;

    [ThreadStatic]
    private static IElement? body;

    /// <summary>
    /// Converts feed HTML to Telegram HTML: only b, i, u, s, a href, code, pre and blockquote remain,
    /// blocks become lines, only &amp;lt; &amp;gt; &amp;amp; &amp;quot; are emitted as entities.
    /// </summary>
    public static string FromHtml(string? html) => Convert(html).ToHtml();

    /// <summary>The text a reader would see, with the same line structure as <see cref="FromHtml"/>.</summary>
    public static string ToPlainText(string? html) => Convert(html).PlainText;

    internal static TelegramMarkup Convert(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return TelegramMarkup.Empty;
        }

        var source = FeedHtml.WithoutCdataMarkers(html);
        return FeedHtmlWalker.Walk(ParseFragment(source.Length > MaxHtmlLength ? source[..MaxHtmlLength] : source));
    }

    /// <summary>Parses HTML as the content of a body, the way a browser would, with this thread's parser.</summary>
    internal static INodeList ParseFragment(string html)
    {
        parser ??= new HtmlParser();
        body ??= parser.ParseDocument(string.Empty).Body!;
        return parser.ParseFragment(html, body);
    }
}
