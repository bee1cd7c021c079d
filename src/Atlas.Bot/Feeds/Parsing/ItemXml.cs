using System.Xml.Linq;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// What an RSS item or Atom entry says in its own XML beyond what CodeHollow.FeedReader maps: Dublin Core, Media RSS,
/// iTunes and content modules, the later date elements, typed HTML bodies, xml:base-relative ids.
/// </summary>
internal static class ItemXml
{
    // Publication dates first; modification dates only when nothing says when the item appeared.
    private static readonly (XNamespace? Ns, string Name)[] DateElements =
    [
        (null, "pubDate"), (null, "published"), (null, "issued"), (FeedXml.Dc, "date"),
        (FeedXml.DcTerms, "issued"), (FeedXml.DcTerms, "created"), (null, "created"),
        (null, "updated"), (null, "modified"), (FeedXml.DcTerms, "modified"),
    ];

    public static TextConstruct? Title(XElement item) =>
        TextConstruct.Read(FeedXml.Own(item, "title"), htmlByDefault: !IsAtom(item))
        ?? TextConstruct.Read(FeedXml.In(item, FeedXml.Dc, "title"), htmlByDefault: true)
        ?? TextConstruct.Read(Media(item, "title"), htmlByDefault: false);

    public static string? Summary(XElement item, Uri? documentUri) =>
        Html(item, documentUri,
            FeedXml.Own(item, "description"), FeedXml.Own(item, "summary"), FeedXml.In(item, FeedXml.Dc, "description"),
            Media(item, "description"), FeedXml.Itunes(item, "summary"));

    public static string? Content(XElement item, Uri? documentUri) =>
        Html(item, documentUri,
            FeedXml.In(item, FeedXml.Content, "encoded"), ContentWithoutSource(item),
            FeedXml.In(item, FeedXml.Xhtml, "body"), FeedXml.Own(item, "fullitem"), FeedXml.Any(item, "encoded"));

    /// <summary>The construct as HTML with its links made absolute against the element's base; null when empty.</summary>
    public static string? Html(TextConstruct? construct, XElement? element, Uri? documentUri) =>
        construct is { Value.Length: > 0 } present
            ? FeedHtml.AbsoluteLinks(present.AsHtml(), XmlBase.BaseOf(element, documentUri))
            : null;

    public static DateTimeOffset? Date(XElement item, TimeZoneInfo timeZone)
    {
        foreach (var (ns, name) in DateElements)
        {
            var element = ns is null ? FeedXml.Own(item, name) : FeedXml.In(item, ns, name);
            if (FeedDates.Parse(FeedXml.Value(element), timeZone) is { } date)
            {
                return date;
            }
        }
        return null;
    }

    public static string? Creator(XElement item) =>
        FeedXml.Value(FeedXml.In(item, FeedXml.Dc, "creator")) is { } creator ? FeedHtml.CollapseWhitespace(creator) : null;

    /// <summary>An author named in an element other than dc:creator and the item's own author.</summary>
    public static string? OtherAuthor(XElement item) =>
        AuthorName(FeedXml.Value(FeedXml.In(item, FeedXml.Dc, "author")) ?? FeedXml.Value(FeedXml.Itunes(item, "author")));

    /// <summary>RSS 2.0 puts an e-mail there, often as "editor@example.com (Jane Doe)": the name is what a reader wants.</summary>
    public static string? AuthorName(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var open = value.IndexOf('(', StringComparison.Ordinal);
        var close = value.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return FeedHtml.CollapseWhitespace(value);
        }
        var inside = value[(open + 1)..close].Trim();
        var outside = (value[..open] + value[(close + 1)..]).Trim();
        // Either "jane@example.com (Jane Doe)" or "Jane Doe (jane@example.com)": keep the half that is not an address.
        return FeedHtml.CollapseWhitespace(
            inside.Contains('@', StringComparison.Ordinal) ? outside
            : outside.Contains('@', StringComparison.Ordinal) ? inside
            : value);
    }

    /// <summary>
    /// The item's categories in document order: RSS &lt;category&gt; text, Atom &lt;category&gt; label (else term), and
    /// dc:subject; decoded, trimmed and collapsed (<see cref="TopicKey.Shown"/>), each spelling once. Spellings of one
    /// key are told apart later, where the feed's language is known.
    /// </summary>
    public static IReadOnlyList<string> Categories(XElement item)
    {
        var own = FeedXml.OwnAll(item, "category").ToHashSet();
        var categories = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in item.Elements())
        {
            var written = own.Contains(element) ? Category(element)
                : element.Name == FeedXml.Dc + "subject" ? element.Value
                : null;
            if (TopicKey.Shown(written) is { } shown && seen.Add(shown))
            {
                categories.Add(shown);
            }
        }
        return categories;
    }

    // Atom's term is the machine name and label the human one; RSS writes the name as the element's text.
    private static string? Category(XElement category) =>
        new[] { category.Attribute("label")?.Value, category.Attribute("term")?.Value, category.Value }.FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

    /// <summary>The guid, Atom id (resolved against xml:base when relative) or rdf:about the item declares.</summary>
    public static string? DeclaredId(XElement item, Uri? documentUri)
    {
        if (FeedXml.Value(FeedXml.Own(item, "guid")) is { } guid)
        {
            return guid;
        }
        if (FeedXml.Value(FeedXml.Own(item, "id")) is { } id)
        {
            return AtomId(id, item, documentUri);
        }
        return item.Attribute(FeedXml.Rdf + "about")?.Value.Trim();
    }

    /// <summary>Atom ids are IRIs and may be relative to xml:base; RSS guids are opaque strings and stay as written.</summary>
    public static string AtomId(string id, XElement item, Uri? documentUri)
    {
        var idElement = FeedXml.Own(item, "id");
        return IsAtom(item) && !XmlBase.IsAbsolute(id) && XmlBase.BaseOf(idElement, documentUri) is not null
            ? XmlBase.Resolve(id, idElement, documentUri) ?? id
            : id;
    }

    public static bool IsAtom(XElement item) => item.Name.LocalName == "entry";

    private static string? Html(XElement item, Uri? documentUri, params XElement?[] candidates)
    {
        var htmlByDefault = !IsAtom(item);
        foreach (var candidate in candidates)
        {
            if (Html(TextConstruct.Read(candidate, htmlByDefault), candidate, documentUri) is { } html)
            {
                return html;
            }
        }
        return null;
    }

    /// <summary>A Media RSS element of the item itself or of its media:group.</summary>
    private static XElement? Media(XElement item, string localName) =>
        FeedXml.In(item, FeedXml.Media, localName) ?? FeedXml.In(FeedXml.In(item, FeedXml.Media, "group"), FeedXml.Media, localName);

    // Atom content with src points elsewhere: it has no body of its own to show.
    private static XElement? ContentWithoutSource(XElement item) =>
        FeedXml.Own(item, "content") is { } content && content.Attribute("src") is null ? content : null;
}
