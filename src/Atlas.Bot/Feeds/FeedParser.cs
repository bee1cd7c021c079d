using System.Runtime.Serialization;
using System.Xml;
using System.Xml.Linq;
using Atlas.Bot.Feeds.Parsing;
using CodeHollow.FeedReader.Parser;
using CodeHollowReader = CodeHollow.FeedReader.FeedReader;

namespace Atlas.Bot.Feeds;

/// <summary>
/// Reads a decoded feed document (RSS, Atom, JSON Feed) into a <see cref="ParsedFeed"/>: every URL absolute, every date an
/// instant, titles plain text. Never throws for bad input: what cannot be read is <see cref="FeedParseResult.Unreadable"/>.
/// </summary>
/// <remarks>
/// XML: prepare (<see cref="XmlPreparation"/>: DOCTYPE and illegal characters removed) → check well-formedness with
/// <see cref="SafeXml"/>, mending the usual CMS breakage with <see cref="XmlRepair"/> when it fails → parse the loaded
/// document, written back out, with CodeHollow.FeedReader, which yields the feed and its items → normalise CodeHollow's values and fill in, from each
/// item's XML, what it misses or gets wrong (<see cref="XmlFeedMapping"/>, <see cref="XmlItemMapping"/>).
/// JSON: CodeHollow.FeedReader first (<see cref="JsonFeedMapping"/>), <see cref="JsonFeedReader"/> for what it turns away.
/// </remarks>
public static class FeedParser
{
    private static readonly string[] FeedRoots = ["rss", "rdf", "feed"];
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <param name="baseUri">The feed's final URL (or Content-Location): what relative links are relative to.</param>
    /// <param name="timeZone">The zone for dates written without one.</param>
    /// <param name="maxLength">The most characters the document may hold once its internal entities are inlined (Fetch__MaxBytes).</param>
    public static FeedParseResult Parse(string text, Uri? baseUri, TimeZoneInfo timeZone, int maxLength = FetchOptions.DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new FeedParseResult.Unreadable("empty document");
        }

        try
        {
            var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            return trimmed.StartsWith('{') ? ReadJson(trimmed, baseUri, timeZone) : ReadXml(trimmed, baseUri, timeZone, maxLength);
        }
#pragma warning disable CA1031 // Bad input must become a value: any library failure on it is "unreadable", not a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new FeedParseResult.Unreadable($"unreadable feed: {e.Message}");
        }
    }

    private static FeedParseResult ReadXml(string text, Uri? baseUri, TimeZoneInfo timeZone, int maxLength)
    {
        if (LooksLikeHtmlPage(text))
        {
            return new FeedParseResult.Unreadable("not a feed: <html> page");
        }

        if (XmlPreparation.Prepare(text, maxLength) is not { } prepared)
        {
            return new FeedParseResult.Unreadable($"the feed's internal entities would expand it beyond {maxLength} characters (Fetch__MaxBytes): refused as an entity-expansion bomb");
        }

        var load = WellFormed(prepared);
        if (load is not XmlLoad.Loaded { Document: var document })
        {
            return new FeedParseResult.Unreadable($"not well-formed XML at line {((XmlLoad.Failed)load).Line}");
        }

        var root = document.Root!;
        var rootName = root.Name.LocalName;
        if (!FeedRoots.Contains(rootName, StringComparer.OrdinalIgnoreCase))
        {
            return new FeedParseResult.Unreadable($"not a feed: <{rootName}> {(rootName.Equals("html", StringComparison.OrdinalIgnoreCase) ? "page" : "document")}");
        }
        if (!rootName.Equals("feed", StringComparison.OrdinalIgnoreCase) && root.Element(root.GetDefaultNamespace() + "channel") is null)
        {
            // CodeHollow dereferences the channel without checking it is there; a feed without one has nothing to read.
            return new FeedParseResult.Parsed(new ParsedFeed(null, null, null, [], ["no <channel> element: an empty feed"]));
        }

        // CodeHollow parses the text again with XDocument.Parse, which processes a DTD. It only gets the document SafeXml
        // loaded with DTDs prohibited, written back out, so there is none; and in .NET an XmlReaderSettings' resolver is
        // null by default, so even a DTD could not fetch an external entity (checked: a SYSTEM entity expands to nothing).
        AtomAsDefaultNamespace(document);
        var feed = CodeHollowReader.ReadFromString(WhitespacePreserved(document));
        return new FeedParseResult.Parsed(XmlFeedMapping.Map(feed, baseUri, timeZone));
    }

    /// <summary>The prepared text's load if it loads, else that of the repaired text (closed off where it was cut short).</summary>
    private static XmlLoad WellFormed(string prepared)
    {
        var load = SafeXml.Load(prepared);
        if (load is XmlLoad.Loaded)
        {
            return load;
        }
        var repaired = XmlRepair.Repair(prepared);
        load = SafeXml.Load(repaired);
        return load is XmlLoad.Failed { EndedEarly: true } ? SafeXml.Load(XmlRepair.CloseTruncated(repaired)) : load;
    }

    /// <summary>
    /// CodeHollow reads Atom only in the default namespace, so a feed written as &lt;atom:feed xmlns:atom="…"&gt; lost its
    /// titles and entries. It gets the same elements with Atom as the default namespace instead (only the spelling
    /// changes: the names, namespace included, stay what they were).
    /// </summary>
    private static void AtomAsDefaultNamespace(XDocument document)
    {
        var root = document.Root!;
        if (root.Name.Namespace != Atom || root.GetDefaultNamespace() == Atom)
        {
            return;
        }

        foreach (var element in document.Descendants())
        {
            element.Attributes().Where(attribute => attribute.IsNamespaceDeclaration && attribute.Value == Atom.NamespaceName).Remove();
        }

        root.SetAttributeValue("xmlns", Atom.NamespaceName);
    }

    /// <summary>
    /// XDocument.Parse (CodeHollow's) drops whitespace-only text, such as the space in "&lt;b&gt;a&lt;/b&gt; &lt;i&gt;b&lt;/i&gt;",
    /// unless xml:space="preserve" is in scope: the document goes to CodeHollow with it on the root.
    /// </summary>
    private static string WhitespacePreserved(XDocument document)
    {
        document.Root!.SetAttributeValue(XNamespace.Xml + "space", "preserve");
        return document.ToString(SaveOptions.DisableFormatting);
    }

    private static FeedParseResult ReadJson(string json, Uri? baseUri, TimeZoneInfo timeZone)
    {
        try
        {
            var feed = CodeHollowReader.ReadFromString(json);
            if (JsonFeedMapping.KeepsEveryItem(feed))
            {
                return new FeedParseResult.Parsed(JsonFeedMapping.Map(feed, baseUri, timeZone));
            }
        }
        catch (Exception e) when (e is FeedTypeNotSupportedException or XmlException or SerializationException)
        {
            // CodeHollow rejects a "version" that is not a jsonfeed.org URL, and JSON with comments or trailing commas:
            // the feed is still readable, by our own reader.
        }
        return JsonFeedReader.Read(json, baseUri, timeZone);
    }

    private static bool LooksLikeHtmlPage(string text)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, 1024));
        return head.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase)
            || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }
}
