using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// The usual ways a CMS breaks XML, mended the way the author meant: HTML named entities (&amp;nbsp;),
/// bare ampersands and less-than signs in text, namespace prefixes never declared, a document cut off
/// mid-way. Text inside CDATA sections and comments is left exactly as written.
/// </summary>
internal static partial class XmlRepair
{
    private static readonly HashSet<string> XmlEntities = ["amp", "lt", "gt", "quot", "apos"];

    public static string Repair(string text)
    {
        var builder = new StringBuilder(text.Length + 64);
        var position = 0;
        foreach (Match verbatim in Verbatim().Matches(text))
        {
            builder.Append(RepairMarkup(text[position..verbatim.Index]));
            builder.Append(verbatim.Value);
            position = verbatim.Index + verbatim.Length;
        }
        builder.Append(RepairMarkup(text[position..]));
        return DeclareMissingPrefixes(builder.ToString());
    }

    /// <summary>Keeps what came before the cut: complete items only, then closes every element still open.</summary>
    public static string CloseTruncated(string text)
    {
        var lastItemEnd = LastItemEnd().Matches(text).LastOrDefault();
        var firstItemStart = ItemStart().Match(text);
        var cut = lastItemEnd is not null ? lastItemEnd.Index + lastItemEnd.Length
            : firstItemStart.Success ? firstItemStart.Index
            : text.LastIndexOf('>') + 1;
        var kept = text[..cut];

        var open = new Stack<string>();
        foreach (Match tag in Tag().Matches(Verbatim().Replace(kept, string.Empty)))
        {
            var name = tag.Groups["name"].Value;
            if (tag.Value.EndsWith("/>", StringComparison.Ordinal))
            {
                continue;
            }
            if (!tag.Groups["close"].Success)
            {
                open.Push(name);
            }
            else if (open.Contains(name))
            {
                while (open.Pop() != name)
                {
                }
            }
        }
        var builder = new StringBuilder(kept);
        foreach (var name in open)
        {
            builder.Append("</").Append(name).Append('>');
        }
        return builder.ToString();
    }

    private static string RepairMarkup(string markup)
    {
        var entitiesFixed = Ampersand().Replace(markup, match =>
        {
            var name = match.Groups["name"];
            if (!name.Success)
            {
                // A numeric reference is fine as it is; anything else after '&' was meant as a literal '&'.
                return match.Groups["numeric"].Success ? match.Value : "&amp;";
            }
            if (XmlEntities.Contains(name.Value))
            {
                return match.Value;
            }
            var decoded = WebUtility.HtmlDecode(match.Value);
            return decoded == match.Value ? "&amp;" + match.Value[1..] : NumericReferences(decoded);
        });
        return BareLessThan().Replace(entitiesFixed, "&lt;");
    }

    private static string NumericReferences(string decoded)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < decoded.Length; i += char.IsSurrogatePair(decoded, i) ? 2 : 1)
        {
            builder.Append("&#").Append(char.ConvertToUtf32(decoded, i).ToString(CultureInfo.InvariantCulture)).Append(';');
        }
        return builder.ToString();
    }

    private static string DeclareMissingPrefixes(string text)
    {
        var declared = DeclaredPrefix().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var missing = UsedPrefix().Matches(Verbatim().Replace(text, string.Empty))
            .Select(m => m.Groups[1].Value)
            .Where(p => p is not ("xml" or "xmlns") && !declared.Contains(p))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var root = RootStart().Match(text);
        if (missing.Count == 0 || !root.Success)
        {
            return text;
        }
        var declarations = string.Concat(missing.Select(p => $" xmlns:{p}=\"{FeedXml.WellKnownNamespace(p) ?? "urn:atlas:undeclared:" + p}\""));
        return text.Insert(root.Index + root.Length, declarations);
    }

    [GeneratedRegex(@"<!\[CDATA\[.*?\]\]>|<!--.*?-->", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Verbatim();

    [GeneratedRegex(@"&(?:(?<numeric>#[0-9]+;|#x[0-9A-Fa-f]+;)|(?<name>[A-Za-z][A-Za-z0-9]*);)?", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Ampersand();

    [GeneratedRegex(@"<(?![A-Za-z_:/!?])", RegexOptions.CultureInvariant)]
    private static partial Regex BareLessThan();

    [GeneratedRegex(@"xmlns:([A-Za-z_][\w.-]*)\s*=", RegexOptions.CultureInvariant)]
    private static partial Regex DeclaredPrefix();

    [GeneratedRegex(@"(?:</?|\s)([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*", RegexOptions.CultureInvariant)]
    private static partial Regex UsedPrefix();

    [GeneratedRegex(@"<(?![?!])[A-Za-z_][\w.:-]*", RegexOptions.CultureInvariant)]
    private static partial Regex RootStart();

    [GeneratedRegex(@"</(?:\w+:)?(?:item|entry)\s*>", RegexOptions.CultureInvariant)]
    private static partial Regex LastItemEnd();

    [GeneratedRegex(@"<(?:\w+:)?(?:item|entry)[\s>]", RegexOptions.CultureInvariant)]
    private static partial Regex ItemStart();

    [GeneratedRegex(@"<(?<close>/)?(?<name>[A-Za-z_][\w.:-]*)[^<>]*>", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Tag();
}
