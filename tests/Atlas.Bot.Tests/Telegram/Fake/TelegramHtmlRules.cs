using System.Text;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>
/// Telegram's HTML parse mode, as strictly as the Bot API applies it (tdlib's parser, attributes included), so a test can
/// assert that a formatted post would be accepted. Two deliberate differences, both where Telegram quietly accepts what
/// only a faulty formatter emits:
/// <list type="bullet">
/// <item>Telegram keeps an unknown entity ("&amp;nbsp;") or a bare "&amp;" as literal text; we reject both, in text and in
/// attribute values, because a formatter that emits them forgot to escape.</item>
/// <item>Telegram shows an &lt;a&gt; whose URL it cannot use (no href and text that is no URL, a relative or javascript:
/// href) as plain text and drops the link; we reject it, because the post would lose its link without a word. A link
/// needs an absolute http(s) URL with a host, or a tg: or mailto: one.</item>
/// </list>
/// </summary>
public static class TelegramHtmlRules
{
    private static readonly HashSet<string> SupportedTags = new(StringComparer.Ordinal)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler", "span",
    };

    /// <summary>Parses <paramref name="html"/> like Telegram does.</summary>
    /// <returns>
    /// Whether Telegram would accept the markup, its error description (without the "Bad Request: can't parse entities: "
    /// prefix) and the length of the resulting plain text in UTF-16 code units, as Telegram counts it, whitespace
    /// at both ends removed.
    /// </returns>
    public static (bool ok, string? error, int plainLength) Check(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var plain = new StringBuilder(html.Length);
        return Parse(html, plain, []) is { } error ? (false, error, 0) : (true, null, plain.ToString().Trim().Length);
    }

    /// <summary>
    /// What a reader would see of <paramref name="html"/>: its text, whitespace at both ends removed, and its formatting
    /// (the entities Telegram makes of the tags, synonyms such as strong and b alike, touching spans of one kind joined);
    /// null when Telegram refuses the markup. Telegram compares messages by this, not by their markup: an edit to markup
    /// with the same rendering is "message is not modified".
    /// </summary>
    public static RenderedText? Render(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var plain = new StringBuilder(html.Length);
        var entities = new List<Entity>();
        return Parse(html, plain, entities) is null ? Rendered(plain.ToString(), entities) : null;
    }

    private static string? Parse(string html, StringBuilder plain, List<Entity> entities)
    {
        var open = new Stack<OpenTag>();
        var byteOffset = 0;
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            string? error;
            int consumed;
            if (c == '<')
            {
                error = i + 1 < html.Length && html[i + 1] == '/'
                    ? ReadEndTag(html, i, byteOffset, open, plain, entities, out consumed)
                    : ReadTag(html, i, byteOffset, open, plain, out consumed);
            }
            else if (c == '&')
            {
                error = ReadEntity(html, i, byteOffset, plain, out consumed);
            }
            else
            {
                consumed = char.IsHighSurrogate(c) && i + 1 < html.Length && char.IsLowSurrogate(html[i + 1]) ? 2 : 1;
                plain.Append(html, i, consumed);
                error = null;
            }

            if (error is not null)
            {
                return error;
            }

            byteOffset += Encoding.UTF8.GetByteCount(html.AsSpan(i, consumed));
            i += consumed;
        }

        return open.Count > 0 ? $"Can't find end tag corresponding to start tag \"{open.Peek().Name}\"" : null;
    }

    private static string? ReadTag(string html, int start, int byteOffset, Stack<OpenTag> open, StringBuilder plain, out int consumed)
    {
        consumed = html.Length - start;
        if (html.IndexOf('>', start) < 0)
        {
            return $"Unclosed start tag at byte offset {byteOffset}";
        }

        var i = start + 1;
        while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>' && html[i] != '/')
        {
            i++;
        }

        var tag = html[(start + 1)..i].ToLowerInvariant();
        if (!SupportedTags.Contains(tag))
        {
            return $"Unsupported start tag \"{tag}\" at byte offset {byteOffset}";
        }

        // Attributes as tdlib reads them: name="value", name='value', name=token or a bare name, in any number; a quoted
        // value may hold '>'. Only href (of a) and class (of span) mean anything; names are case-sensitive.
        string? href = null;
        string? spanClass = null;
        var expandable = false;
        while (true)
        {
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            if (i >= html.Length)
            {
                return $"Unclosed start tag at byte offset {byteOffset}";
            }

            if (html[i] == '>')
            {
                break;
            }

            var nameStart = i;
            while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] is not ('=' or '>' or '/' or '"' or '\''))
            {
                i++;
            }

            var name = html[nameStart..i];
            if (name.Length == 0)
            {
                return $"Empty attribute name in the tag \"{tag}\" at byte offset {byteOffset}";
            }

            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            if (i >= html.Length)
            {
                return $"Unclosed start tag \"{tag}\" at byte offset {byteOffset}";
            }

            if (html[i] != '=')
            {
                expandable |= tag == "blockquote" && name == "expandable";
                continue;
            }

            i++;
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            if (i >= html.Length)
            {
                return $"Unclosed start tag \"{tag}\" at byte offset {byteOffset}";
            }

            var value = new StringBuilder();
            if (html[i] is '"' or '\'')
            {
                var quote = html[i++];
                while (i < html.Length && html[i] != quote)
                {
                    if (html[i] == '&')
                    {
                        if (ReadEntity(html, i, byteOffset + Encoding.UTF8.GetByteCount(html.AsSpan(start, i - start)), value, out var entityLength) is { } entityError)
                        {
                            return entityError;
                        }

                        i += entityLength;
                        continue;
                    }

                    value.Append(html[i++]);
                }

                if (i >= html.Length)
                {
                    return $"Unclosed start tag at byte offset {byteOffset}";
                }

                i++;
            }
            else
            {
                // A name token: letters, digits, '.' and '-', read in lower case.
                var tokenStart = i;
                while (i < html.Length && (char.IsAsciiLetterOrDigit(html[i]) || html[i] is '.' or '-'))
                {
                    i++;
                }

                if (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>')
                {
                    return $"Unexpected end of name token at byte offset {byteOffset + Encoding.UTF8.GetByteCount(html.AsSpan(start, tokenStart - start))}";
                }

                value.Append(html[tokenStart..i].ToLowerInvariant());
            }

            if (tag == "a" && name == "href")
            {
                href = value.ToString();
            }
            else if (tag == "span" && name == "class")
            {
                spanClass = value.ToString();
            }
        }

        consumed = i - start + 1;
        if (tag == "span" && spanClass != "tg-spoiler")
        {
            return $"Tag \"span\" must have class \"tg-spoiler\" at byte offset {byteOffset}";
        }

        open.Push(new OpenTag(tag, href, plain.Length, byteOffset, expandable));
        return null;
    }

    private static string? ReadEndTag(
        string html, int start, int byteOffset, Stack<OpenTag> open, StringBuilder plain, List<Entity> entities, out int consumed)
    {
        var end = html.IndexOf('>', start);
        if (end < 0)
        {
            consumed = html.Length - start;
            return $"Unclosed end tag at byte offset {byteOffset}";
        }

        consumed = end - start + 1;
        var name = html.AsSpan(start + 2, end - start - 2).Trim().ToString().ToLowerInvariant();
        if (open.Count == 0)
        {
            return $"Unexpected end tag at byte offset {byteOffset}";
        }

        var expected = open.Pop();
        if (name.Length > 0 && name != expected.Name)
        {
            return $"Unmatched end tag at byte offset {byteOffset}, expected \"</{expected.Name}>\", found \"</{name}>\"";
        }

        // Without an href Telegram takes the link's text as its URL.
        var url = expected.Name == "a" ? expected.Href is { Length: > 0 } href ? href : plain.ToString(expected.PlainStart, plain.Length - expected.PlainStart) : null;
        if (url is not null && !IsLink(url))
        {
            return $"Tag \"a\" at byte offset {expected.ByteOffset} links to '{url}', which is not an absolute http(s), tg or mailto URL (Telegram would drop the link)";
        }

        entities.Add(new Entity(EntityType(expected), expected.PlainStart, plain.Length, url));
        return null;
    }

    private static string EntityType(OpenTag tag) => tag.Name switch
    {
        "b" or "strong" => "bold",
        "i" or "em" => "italic",
        "u" or "ins" => "underline",
        "s" or "strike" or "del" => "strikethrough",
        "tg-spoiler" or "span" => "spoiler",
        "a" => "text_link",
        "blockquote" when tag.Expandable => "expandable_blockquote",
        _ => tag.Name,
    };

    private static bool IsLink(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.Scheme switch
        {
            "http" or "https" => uri.Host.Length > 0,
            "tg" or "mailto" => true,
            _ => false,
        };

    private static string? ReadEntity(string html, int start, int byteOffset, StringBuilder plain, out int consumed)
    {
        var semicolon = html.IndexOf(';', start);
        var name = semicolon < 0 || semicolon - start > 12 ? null : html[(start + 1)..semicolon];
        consumed = name is null ? 1 : name.Length + 2;
        switch (name)
        {
            case null:
                return $"Unescaped \"&\" at byte offset {byteOffset}";
            case "lt":
                plain.Append('<');
                return null;
            case "gt":
                plain.Append('>');
                return null;
            case "amp":
                plain.Append('&');
                return null;
            case "quot":
                plain.Append('"');
                return null;
        }

        if (name.StartsWith('#') && TryCodePoint(name.AsSpan(1), out var codePoint))
        {
            plain.Append(char.ConvertFromUtf32(codePoint));
            return null;
        }

        return $"Unsupported HTML entity \"&{name};\" at byte offset {byteOffset}";
    }

    private static bool TryCodePoint(ReadOnlySpan<char> digits, out int codePoint)
    {
        var parsed = digits.Length > 1 && digits[0] is 'x' or 'X'
            ? int.TryParse(digits[1..], System.Globalization.NumberStyles.AllowHexSpecifier, null, out codePoint)
            : int.TryParse(digits, System.Globalization.NumberStyles.None, null, out codePoint);
        return parsed && codePoint is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF);
    }

    /// <summary>A start tag waiting for its end tag: what the end needs to check the link (its href, or the text since).</summary>
    private sealed record OpenTag(string Name, string? Href, int PlainStart, int ByteOffset, bool Expandable);

    /// <summary>A formatted span of the plain text, [Start, End) in UTF-16 units, as Telegram's entity type names it.</summary>
    private sealed record Entity(string Type, int Start, int End, string? Url);

    private static RenderedText Rendered(string plain, List<Entity> entities)
    {
        var text = plain.Trim();
        var lead = plain.Length - plain.TrimStart().Length;
        var spans = entities
            .Select(entity => entity with { Start = Math.Max(entity.Start - lead, 0), End = Math.Min(entity.End - lead, text.Length) })
            .Where(entity => entity.End > entity.Start)
            .GroupBy(entity => (entity.Type, entity.Url))
            .SelectMany(Joined)
            .OrderBy(entity => entity.Start).ThenByDescending(entity => entity.End).ThenBy(entity => entity.Type, StringComparer.Ordinal)
            .Select(entity => $"{entity.Type}@{entity.Start}+{entity.End - entity.Start}{(entity.Url is null ? "" : $":{entity.Url}")}");
        return new RenderedText(text, string.Join(';', spans));
    }

    /// <summary>Spans of one kind that touch or overlap, joined into one, as Telegram does: "&lt;b&gt;a&lt;/b&gt;&lt;b&gt;b&lt;/b&gt;" is "&lt;b&gt;ab&lt;/b&gt;".</summary>
    private static IEnumerable<Entity> Joined(IEnumerable<Entity> sameKind)
    {
        Entity? current = null;
        foreach (var entity in sameKind.OrderBy(entity => entity.Start))
        {
            if (current is not null && entity.Start <= current.End)
            {
                current = current with { End = Math.Max(current.End, entity.End) };
                continue;
            }

            if (current is not null)
            {
                yield return current;
            }

            current = entity;
        }

        if (current is not null)
        {
            yield return current;
        }
    }
}

/// <summary>A message's text as a reader sees it and its formatting, one "type@offset+length" (":url" after a link's) per entity.</summary>
public readonly record struct RenderedText(string Text, string Formatting)
{
    /// <summary>Text sent without a parse mode, as Telegram takes it: no formatting, whitespace at both ends removed.</summary>
    public static RenderedText Plain(string text) => new(text.Trim(), "");
}
