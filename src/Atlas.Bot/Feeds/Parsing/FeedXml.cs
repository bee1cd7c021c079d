using System.Xml.Linq;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>Finds feed elements by local name, telling the feed's own vocabulary from extension modules.</summary>
internal static class FeedXml
{
    public static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    public static readonly XNamespace DcTerms = "http://purl.org/dc/terms/";
    public static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    public static readonly XNamespace Media = "http://search.yahoo.com/mrss/";
    public static readonly XNamespace ItunesNs = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    public static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    public static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

    // RSS 0.9x/2.0 use no namespace or one of several historical ones, Atom two: rather than list them
    // all, an element is the feed's own unless it belongs to a known extension module.
    private static readonly HashSet<XNamespace> Extensions = [Dc, DcTerms, Content, Media, ItunesNs, Xhtml, Rdf];

    /// <summary>The namespace a conventional prefix stands for, for feeds that use the prefix without declaring it.</summary>
    public static XNamespace? WellKnownNamespace(string prefix) => prefix switch
    {
        "dc" => Dc,
        "dcterms" => DcTerms,
        "content" => Content,
        "media" => Media,
        "itunes" => ItunesNs,
        "rdf" => Rdf,
        "atom" => "http://www.w3.org/2005/Atom",
        _ => null,
    };

    public static XElement? Own(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName && !IsExtension(e.Name.Namespace));

    public static IEnumerable<XElement> OwnAll(XElement? parent, string localName) =>
        parent?.Elements().Where(e => e.Name.LocalName == localName && !IsExtension(e.Name.Namespace)) ?? [];

    public static XElement? In(XElement? parent, XNamespace ns, string localName) => parent?.Element(ns + localName);

    /// <summary>An iTunes podcast element; Apple's namespace URI circulates in two spellings of different case.</summary>
    public static XElement? Itunes(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName
            && string.Equals(e.Name.NamespaceName, ItunesNs.NamespaceName, StringComparison.OrdinalIgnoreCase));

    /// <summary>An element by local name in any namespace, for modules feeds often use without declaring.</summary>
    public static XElement? Any(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    public static string? Value(XElement? element) =>
        element is null || string.IsNullOrWhiteSpace(element.Value) ? null : element.Value.Trim();

    public static string? Attribute(XElement? element, string name) =>
        element?.Attribute(name)?.Value is { Length: > 0 } value ? value.Trim() : null;

    private static bool IsExtension(XNamespace ns) =>
        Extensions.Contains(ns) || ns.NamespaceName.Equals(ItunesNs.NamespaceName, StringComparison.OrdinalIgnoreCase) || ns.NamespaceName.StartsWith("urn:atlas:undeclared:", StringComparison.Ordinal);
}
