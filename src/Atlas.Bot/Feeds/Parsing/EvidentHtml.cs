namespace Atlas.Bot.Feeds.Parsing;

/// <summary>
/// Whether text a feed calls plain (or HTML escaped once more than it should be) is evidently HTML: it holds a start tag
/// of a common content element (p, div, a, b, li…) and, after it, that element's end tag. A "&lt;" alone is never
/// enough: "a &lt; b", "History of the &lt;blink&gt; tag" or a lone "&lt;br&gt;" stay text.
/// </summary>
internal static class EvidentHtml
{
    // Content elements only. Script, style and iframe are left out on purpose: a title that shows "<script>…</script>"
    // is more often about that code than an accident, and reading it as HTML would hide it.
    private static readonly HashSet<string> ContentElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "span", "a", "b", "i", "u", "s", "em", "strong", "small", "sub", "sup", "mark", "code", "pre",
        "blockquote", "q", "cite", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table",
        "thead", "tbody", "tr", "td", "th", "figure", "figcaption", "section", "article", "header", "footer", "aside",
        "nav", "font", "center",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ContentElementNames =
        ContentElements.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool Is(string text)
    {
        // Most text has no '<' at all: nothing is allocated for it, and a tag's name is looked up without a copy.
        HashSet<string>? tried = null;
        var i = text.IndexOf('<', StringComparison.Ordinal);
        while (i >= 0 && i < text.Length - 1)
        {
            var nameEnd = i + 1;
            while (nameEnd < text.Length && char.IsAsciiLetterOrDigit(text[nameEnd]))
            {
                nameEnd++;
            }

            var tagEnd = EndOfTag(text, nameEnd);
            if (tagEnd < 0)
            {
                // Another '<' before any '>' (or none at all): no start tag begins here.
                i = text.IndexOf('<', nameEnd);
                continue;
            }

            if (ContentElementNames.TryGetValue(text.AsSpan(i + 1, nameEnd - i - 1), out var name)
                && (tried ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(name)
                && HasEndTag(text, name, tagEnd + 1))
            {
                return true;
            }

            i = text.IndexOf('<', tagEnd + 1);
        }

        return false;
    }

    /// <summary>
    /// HTML with no tag of its own whose decoded text is evidently HTML ("&amp;lt;p&amp;gt;Title&amp;lt;/p&amp;gt;" in a CDATA
    /// section): escaped once too often, so that a reader would see its tags. Returns that decoded HTML, or null.
    /// </summary>
    public static string? EscapedTwice(string html)
    {
        // An escaped tag starts "&lt;" or "&#60;"/"&#x3C;": most HTML without tags (a title with "&amp;") is not worth parsing.
        if (html.Contains('<', StringComparison.Ordinal)
            || !(html.Contains("&lt;", StringComparison.OrdinalIgnoreCase) || html.Contains("&#", StringComparison.Ordinal)))
        {
            return null;
        }

        var decoded = FeedHtml.Decode(html);
        return Is(decoded) ? decoded : null;
    }

    /// <summary>The '>' that ends a start tag whose name ends at <paramref name="nameEnd"/>; -1 when none does.</summary>
    private static int EndOfTag(string text, int nameEnd)
    {
        if (nameEnd >= text.Length || !(char.IsWhiteSpace(text[nameEnd]) || text[nameEnd] is '>' or '/'))
        {
            return -1;
        }

        for (var j = nameEnd; j < text.Length; j++)
        {
            switch (text[j])
            {
                case '>':
                    return j;
                case '<':
                    return -1;
            }
        }

        return -1;
    }

    private static bool HasEndTag(string text, string name, int from)
    {
        var close = "</" + name;
        for (var at = text.IndexOf(close, from, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(close, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var after = at + close.Length;
            while (after < text.Length && char.IsWhiteSpace(text[after]))
            {
                after++;
            }

            if (after < text.Length && text[after] == '>')
            {
                return true;
            }
        }

        return false;
    }
}
