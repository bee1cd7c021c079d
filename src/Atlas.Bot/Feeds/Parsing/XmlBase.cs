using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>Resolves a reference the way the document means it: against the xml:base chain, then the feed's own URL.</summary>
internal static partial class XmlBase
{
    public static Uri? BaseOf(XElement? element, Uri? documentUri)
    {
        var bases = new List<string>();
        for (var e = element; e is not null; e = e.Parent)
        {
            if (e.Attribute(XNamespace.Xml + "base")?.Value is { } value)
            {
                bases.Add(value.Trim());
            }
        }
        var current = documentUri;
        for (var i = bases.Count - 1; i >= 0; i--)
        {
            current = Combine(current, bases[i]) is { } combined ? new Uri(combined) : current;
        }
        return current;
    }

    /// <summary>An absolute URL for <paramref name="reference"/>; written-out absolute URLs come back exactly as written.</summary>
    public static string? Resolve(string? reference, XElement? context, Uri? documentUri) =>
        Combine(BaseOf(context, documentUri), reference);

    public static string? Combine(Uri? baseUri, string? reference)
    {
        var value = reference?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (IsAbsolute(value))
        {
            return value;
        }
        return baseUri is not null && Uri.TryCreate(baseUri, value, out var resolved) ? resolved.ToString() : value;
    }

    /// <summary>
    /// True for "https://…", "tag:…", "urn:…". Uri.TryCreate alone is not enough: on Unix it takes "/path" for a file URI.
    /// </summary>
    public static bool IsAbsolute(string value) => Scheme().IsMatch(value);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();
}
