using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>An element's content and whether it is HTML (Atom text constructs, RSS's escaped HTML, inline XHTML).</summary>
internal readonly record struct TextConstruct(string Value, bool IsHtml)
{
    /// <param name="htmlByDefault">RSS elements carry HTML unless told otherwise; Atom's default type is text.</param>
    public static TextConstruct? Read(XElement? element, bool htmlByDefault)
    {
        if (element is null)
        {
            return null;
        }
        var (type, mode) = Declared(element);
        if (IsMarkup(element, type, mode))
        {
            var children = type is "xhtml" && element.Elements().Count() == 1 && element.Elements().Single().Name.LocalName == "div"
                ? element.Elements().Single().Nodes()
                : element.Nodes();
            return new TextConstruct(InnerMarkup(children).Trim(), IsHtml: true);
        }
        if (IsEncoded(type, mode))
        {
            return new TextConstruct(Base64OrRaw(element.Value.Trim()), IsHtml: true);
        }
        return Escaped(Mojibake.Repair(element.Value.Trim()), type, mode, htmlByDefault);
    }

    /// <summary>
    /// A value another reader (CodeHollow) took from <paramref name="element"/>, typed by that element's type and mode.
    /// Markup and base64 content are read from the element itself: the other reader's string is the element's flattened
    /// text (tags dropped, whitespace between them lost) or the undecoded base64.
    /// </summary>
    public static TextConstruct? Of(string? value, XElement? element, bool htmlByDefault)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var (type, mode) = element is null ? (string.Empty, string.Empty) : Declared(element);
        return element is not null && (IsMarkup(element, type, mode) || IsEncoded(type, mode))
            ? Read(element, htmlByDefault)
            : Escaped(Mojibake.Repair(value.Trim()), type, mode, htmlByDefault);
    }

    public string AsHtml() => IsHtml ? Value : EscapeText(Value);

    public string AsText() => IsHtml ? FeedHtml.Text(Value) : FeedHtml.CollapseWhitespace(Value);

    private static string EscapeText(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>Escaped content (the element's text) read as its type says, and as it evidently is where the feed erred.</summary>
    private static TextConstruct Escaped(string value, string type, string mode, bool htmlByDefault)
    {
        if (MeansHtml(type, mode, htmlByDefault))
        {
            // "&lt;p&gt;Title&lt;/p&gt;" inside CDATA is HTML escaped twice: read once, it would show the reader its tags.
            return new TextConstruct(EvidentHtml.EscapedTwice(value) ?? value, IsHtml: true);
        }
        // Atom's default type is text, yet feeds put HTML in an untyped <content> (FeedReader's AtomAdobe.xml). As browsers'
        // feed readers do, text that is evidently HTML is read as HTML, unless the feed said type="text" in so many words.
        var undeclared = type.Length == 0 && mode.Length == 0;
        return new TextConstruct(value, IsHtml: undeclared && EvidentHtml.Is(value));
    }

    /// <summary>The element's type and mode attributes, trimmed and lower-cased; empty when absent.</summary>
    private static (string Type, string Mode) Declared(XElement element) =>
        ((element.Attribute("type")?.Value ?? string.Empty).Trim().ToLowerInvariant(),
         (element.Attribute("mode")?.Value ?? string.Empty).Trim().ToLowerInvariant());

    /// <summary>Inline markup (Atom xhtml, 0.3 mode="xml", or child elements): its content is the markup itself.</summary>
    private static bool IsMarkup(XElement element, string type, string mode) =>
        type is "xhtml" || mode is "xml" || element.HasElements;

    /// <summary>Base64 content (Atom 0.3 mode="base64", or a binary media type).</summary>
    private static bool IsEncoded(string type, string mode) => mode is "base64" || IsBinaryMediaType(type);

    private static bool MeansHtml(string type, string mode, bool htmlByDefault) => type switch
    {
        "html" or "text/html" or "escaped" => true,
        "text" or "text/plain" => false,
        _ => mode is "escaped" || htmlByDefault,
    };

    private static bool IsBinaryMediaType(string type) =>
        type.Contains('/', StringComparison.Ordinal) && !type.StartsWith("text/", StringComparison.Ordinal) && !type.EndsWith("xml", StringComparison.Ordinal);

    private static string Base64OrRaw(string value)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            return value;
        }
    }

    /// <summary>Inline XHTML written back as plain HTML: no namespace declarations or prefixes.</summary>
    private static string InnerMarkup(IEnumerable<XNode> nodes)
    {
        var builder = new StringBuilder();
        foreach (var node in nodes)
        {
            builder.Append(node switch
            {
                XElement e => WithoutNamespaces(e).ToString(SaveOptions.DisableFormatting),
                XCData c => WebUtility.HtmlEncode(c.Value),
                XText t => t.ToString(),
                _ => string.Empty,
            });
        }
        return builder.ToString();
    }

    private static XElement WithoutNamespaces(XElement element) => new(
        element.Name.LocalName,
        element.Attributes().Where(a => !a.IsNamespaceDeclaration).DistinctBy(a => a.Name.LocalName).Select(a => new XAttribute(a.Name.LocalName, a.Value)),
        element.Nodes().Select(n => n is XElement child ? WithoutNamespaces(child) : (object)n));
}
