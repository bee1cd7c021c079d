using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>The HTML a feed carries, read with a real HTML parser rather than patterns.</summary>
internal static class FeedHtml
{
    private static readonly string[] LinkAttributes = ["href", "src", "poster"];

    // A new HtmlParser (its browsing context and services) costs about as much as parsing a short body, and an item
    // is parsed several times (links, first image, title): one parser per thread, as a parser is not thread-safe.
    [ThreadStatic]
    private static HtmlParser? parser;

    /// <summary>Plain text: tags stripped, entities decoded, whitespace collapsed.</summary>
    /// <remarks>
    /// Without tags only complete references (with ';') are decoded: an HTML parser would also turn the
    /// "&amp;copy" of "?page=1&amp;copy=2" into ©, which no title author meant.
    /// </remarks>
    public static string Text(string html)
    {
        var text = html.Contains('<', StringComparison.Ordinal) ? Fragment(html).TextContent : WebUtility.HtmlDecode(html);
        return CollapseWhitespace(text);
    }

    public static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The src of the first image, as written.</summary>
    public static string? FirstImage(string html) =>
        html.Contains("<img", StringComparison.OrdinalIgnoreCase)
            ? Fragment(html).QuerySelector("img[src]")?.GetAttribute("src")
            : null;

    /// <summary>The same HTML with relative links made absolute; untouched (byte for byte) when nothing is relative.</summary>
    public static string AbsoluteLinks(string html, Uri? baseUri)
    {
        if (baseUri is null || !html.Contains('<', StringComparison.Ordinal))
        {
            return html;
        }
        var body = Fragment(html);
        var changed = false;
        foreach (var element in body.QuerySelectorAll("[href], [src], [poster]"))
        {
            foreach (var attribute in LinkAttributes)
            {
                var value = element.GetAttribute(attribute);
                if (value is null || XmlBase.IsAbsolute(value.Trim()) || value.StartsWith('#'))
                {
                    continue;
                }
                if (XmlBase.Combine(baseUri, value) is { } absolute && absolute != value)
                {
                    element.SetAttribute(attribute, absolute);
                    changed = true;
                }
            }
        }
        return changed ? body.InnerHtml : html;
    }

    private static IElement Fragment(string html)
    {
        parser ??= new HtmlParser();
        var body = parser.ParseDocument(string.Empty).Body!;
        body.InnerHtml = html;
        return body;
    }
}
