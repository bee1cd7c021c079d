using System.Text.RegularExpressions;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>The HTML a feed carries, read with a real HTML parser rather than patterns.</summary>
internal static partial class FeedHtml
{
    private static readonly string[] LinkAttributes = ["href", "src", "poster"];

    // Elements whose content a browser never shows as text: raw code (script, style), fallbacks for what it does support
    // (noscript, noembed, noframes, iframe) and the document's head. Script and style keep entities undecoded, so
    // their text would reach a title as "&euro;". (Posts' FeedHtmlWalker hides these too, with the media a post cannot show.)
    internal static readonly IReadOnlySet<string> Unseen = new HashSet<string>(StringComparer.Ordinal)
    {
        "script", "style", "template", "noscript", "noembed", "noframes", "iframe", "head", "title", "meta", "link",
    };

    // A new HtmlParser (its browsing context and services) costs about as much as parsing a short body, and an item
    // is parsed several times (links, first image, title): one parser per thread, as a parser is not thread-safe.
    [ThreadStatic]
    private static HtmlParser? parser;

    /// <summary>Plain text as a browser shows it: tags stripped, unseen elements dropped, entities decoded, whitespace collapsed.</summary>
    public static string Text(string html) =>
        CollapseWhitespace(html.Contains('<', StringComparison.Ordinal) ? string.Concat(VisibleText(Fragment(WithoutCdataMarkers(html)).ChildNodes, Unseen).Select(part => part.Data)) : Decode(html));

    /// <summary>
    /// Text without tags with its character references decoded as a browser decodes them: every HTML5 name, and numeric
    /// references to no character (0, surrogates, beyond U+10FFFF) as U+FFFD.
    /// </summary>
    /// <remarks>
    /// Only complete references (with ';') are decoded: an HTML parser would also turn the "&amp;copy" of
    /// "?page=1&amp;copy=2" into ©, which no title author meant. A name HTML does not define ("&amp;foo;") is no
    /// reference and stays as written.
    /// </remarks>
    public static string Decode(string text) =>
        text.Contains('&', StringComparison.Ordinal) ? Fragment(IncompleteReference().Replace(text, "&amp;")).TextContent : text;

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

    /// <summary>
    /// The text nodes of <paramref name="nodes"/> and their descendants in document order, but those inside a
    /// <paramref name="hidden"/> element; iterative, as hostile HTML nests deep.
    /// </summary>
    internal static IEnumerable<IText> VisibleText(IEnumerable<INode> nodes, IReadOnlySet<string> hidden)
    {
        var pending = new Stack<INode>(nodes.Reverse());
        while (pending.TryPop(out var node))
        {
            if (node is IText part)
            {
                yield return part;
            }
            else if (node is IElement element && !hidden.Contains(element.LocalName))
            {
                foreach (var child in element.ChildNodes.Reverse())
                {
                    pending.Push(child);
                }
            }
        }
    }

    // Feeds sometimes leak CDATA wrappers into the HTML; an HTML parser would turn the opening marker into a
    // comment that swallows the next tag and leave "]]>" as text, so unwrap them before parsing (Posts' TelegramHtml too).
    internal static string WithoutCdataMarkers(string html) =>
        html.Replace("<![CDATA[", string.Empty, StringComparison.Ordinal).Replace("]]>", string.Empty, StringComparison.Ordinal);

    /// <summary>An ampersand that does not start a complete character reference.</summary>
    [GeneratedRegex("&(?!(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);)", RegexOptions.CultureInvariant)]
    private static partial Regex IncompleteReference();
}
