namespace Atlas.Bot.Feeds.WebSub;

/// <summary>
/// The WebSub links one source names (W3C WebSub §4): the hubs it publishes through and its own canonical URL, absolute,
/// in the source's order. A source is either the feed response's Link headers or the feed document itself.
/// </summary>
/// <param name="Hubs">Every <c>rel="hub"</c> target, each once; any scheme (discovery keeps only http(s) ones).</param>
/// <param name="Self">The first <c>rel="self"</c> target, or null.</param>
public sealed record WebSubLinks(IReadOnlyList<Uri> Hubs, Uri? Self)
{
    public static readonly WebSubLinks None = new([], null);

    /// <summary>Hubs and self from (target, rel values) pairs; rel values compared case-insensitively.</summary>
    public static WebSubLinks From(IEnumerable<(Uri Target, IEnumerable<string> Rels)> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var hubs = new List<Uri>();
        Uri? self = null;
        foreach (var (target, rels) in links)
        {
            foreach (var rel in rels.Select(Registered))
            {
                if (rel.Equals("hub", StringComparison.OrdinalIgnoreCase) && !hubs.Contains(target))
                {
                    hubs.Add(target);
                }
                else if (rel.Equals("self", StringComparison.OrdinalIgnoreCase))
                {
                    self ??= target;
                }
            }
        }

        return hubs.Count == 0 && self is null ? None : new WebSubLinks(hubs, self);
    }

    /// <summary>Atom allows a registered relation spelled as its IANA IRI (RFC 4287 §4.2.7.2): the same relation.</summary>
    private static string Registered(string rel) =>
        rel.StartsWith(IanaRelations, StringComparison.OrdinalIgnoreCase) ? rel[IanaRelations.Length..] : rel;

    private const string IanaRelations = "http://www.iana.org/assignments/relation/";
}
