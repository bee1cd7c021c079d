using System.Text;

namespace Atlas.Bot.Feeds.WebSub;

/// <summary>One link-value of an HTTP <c>Link</c> header (RFC 8288 §3).</summary>
/// <param name="Target">The target, resolved against the URL the response answered.</param>
/// <param name="Rels">The relation types of the first <c>rel</c> parameter, lower-cased, in order.</param>
/// <param name="Anchor">The <c>anchor</c> parameter, resolved: when present the link is about that resource, not the response's.</param>
public sealed record HeaderLink(Uri Target, IReadOnlyList<string> Rels, Uri? Anchor);

/// <summary>
/// Reads HTTP <c>Link</c> headers (RFC 8288): several link-values per header, separated by commas; parameters with token
/// or quoted-string values (which may hold commas and semicolons); <c>rel</c> holding several space-separated types; URI
/// references relative to the request's URL. Malformed link-values are skipped, never thrown over: a feed server's
/// header mistakes must not cost the feed.
/// </summary>
public static class LinkHeader
{
    public static IReadOnlyList<HeaderLink> Parse(IEnumerable<string> values, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(requestUri);
        var links = new List<HeaderLink>();
        foreach (var value in values)
        {
            var at = 0;
            while (at < value.Length)
            {
                if (ReadLinkValue(value, ref at, requestUri) is { } link)
                {
                    links.Add(link);
                }
            }
        }

        return links;
    }

    /// <summary>The hub and self links the headers name about the response itself (anchored links are about something else).</summary>
    public static WebSubLinks WebSub(IEnumerable<string> values, Uri requestUri) =>
        WebSubLinks.From(Parse(values, requestUri).Where(l => l.Anchor is null).Select(l => (l.Target, (IEnumerable<string>)l.Rels)));

    private static HeaderLink? ReadLinkValue(string text, ref int at, Uri requestUri)
    {
        SkipWhitespaceAnd(text, ref at, ',');
        if (at >= text.Length)
        {
            return null;
        }

        if (text[at] != '<' || text.IndexOf('>', at) is var close && close < 0)
        {
            SkipPastComma(text, ref at);
            return null;
        }

        var reference = text[(at + 1)..close].Trim();
        at = close + 1;
        string? rel = null;
        string? anchor = null;
        while (true)
        {
            SkipWhitespaceAnd(text, ref at);
            if (at >= text.Length || text[at] == ',')
            {
                break;
            }

            if (text[at] != ';')
            {
                SkipPastComma(text, ref at);
                break;
            }

            at++;
            var (name, value) = ReadParameter(text, ref at);
            // RFC 8288 §3.3: a rel after the first is ignored.
            if (name.Equals("rel", StringComparison.OrdinalIgnoreCase))
            {
                rel ??= value ?? "";
            }
            else if (name.Equals("anchor", StringComparison.OrdinalIgnoreCase))
            {
                anchor ??= value ?? "";
            }
        }

        if (!Uri.TryCreate(requestUri, reference, out var target))
        {
            return null;
        }

        Uri? anchorUri = null;
        if (anchor is not null && !Uri.TryCreate(requestUri, anchor, out anchorUri))
        {
            // An anchor nobody can read still says the link is not about this response.
            anchorUri = requestUri;
        }

        var rels = (rel ?? "").Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(r => r.ToLowerInvariant()).ToList();
        return new HeaderLink(target, rels, anchorUri);
    }

    private static (string Name, string? Value) ReadParameter(string text, ref int at)
    {
        SkipWhitespaceAnd(text, ref at);
        var start = at;
        while (at < text.Length && text[at] is not ('=' or ';' or ',') && !char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        var name = text[start..at];
        SkipWhitespaceAnd(text, ref at);
        if (at >= text.Length || text[at] != '=')
        {
            return (name, null);
        }

        at++;
        SkipWhitespaceAnd(text, ref at);
        return (name, at < text.Length && text[at] == '"' ? ReadQuoted(text, ref at) : ReadToken(text, ref at));
    }

    private static string ReadQuoted(string text, ref int at)
    {
        var value = new StringBuilder();
        at++;
        while (at < text.Length && text[at] != '"')
        {
            // quoted-pair: a backslash takes the next character literally.
            if (text[at] == '\\' && at + 1 < text.Length)
            {
                at++;
            }

            value.Append(text[at]);
            at++;
        }

        at = Math.Min(at + 1, text.Length);
        return value.ToString();
    }

    private static string ReadToken(string text, ref int at)
    {
        var start = at;
        while (at < text.Length && text[at] is not (';' or ','))
        {
            at++;
        }

        return text[start..at].Trim();
    }

    private static void SkipWhitespaceAnd(string text, ref int at, char also = ' ')
    {
        while (at < text.Length && (char.IsWhiteSpace(text[at]) || text[at] == also))
        {
            at++;
        }
    }

    /// <summary>Past the next comma outside a quoted string or angle brackets: the start of the next link-value.</summary>
    private static void SkipPastComma(string text, ref int at)
    {
        var quoted = false;
        var bracketed = false;
        for (; at < text.Length; at++)
        {
            var c = text[at];
            if (quoted)
            {
                if (c == '\\')
                {
                    at++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == '<')
            {
                bracketed = true;
            }
            else if (c == '>')
            {
                bracketed = false;
            }
            else if (c == ',' && !bracketed)
            {
                at++;
                return;
            }
        }
    }
}
