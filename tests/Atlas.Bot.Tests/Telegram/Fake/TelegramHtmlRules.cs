using System.Text;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>
/// Telegram's HTML parse mode, as strictly as the Bot API applies it (tdlib's parser), so a test can assert that a
/// formatted post would be accepted. One deliberate difference: Telegram keeps an unknown entity ("&amp;nbsp;") or a bare
/// "&amp;" as literal text; we reject both, because a formatter that emits them forgot to escape.
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
        var open = new Stack<string>();
        var byteOffset = 0;
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            string? error;
            int consumed;
            if (c == '<')
            {
                error = ReadTag(html, i, byteOffset, open, out consumed);
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
                return (false, error, 0);
            }

            byteOffset += Encoding.UTF8.GetByteCount(html.AsSpan(i, consumed));
            i += consumed;
        }

        if (open.Count > 0)
        {
            return (false, $"Can't find end tag corresponding to start tag \"{open.Peek()}\"", 0);
        }

        return (true, null, plain.ToString().Trim().Length);
    }

    private static string? ReadTag(string html, int start, int byteOffset, Stack<string> open, out int consumed)
    {
        var end = html.IndexOf('>', start);
        if (end < 0)
        {
            consumed = html.Length - start;
            return $"Unclosed start tag at byte offset {byteOffset}";
        }

        consumed = end - start + 1;
        var inside = html.AsSpan(start + 1, end - start - 1);
        if (inside.StartsWith("/"))
        {
            var name = inside[1..].Trim().ToString().ToLowerInvariant();
            if (open.Count == 0)
            {
                return $"Unexpected end tag at byte offset {byteOffset}";
            }

            var expected = open.Pop();
            return name == expected
                ? null
                : $"Unmatched end tag at byte offset {byteOffset}, expected \"</{expected}>\", found \"</{name}>\"";
        }

        var nameLength = 0;
        while (nameLength < inside.Length && !char.IsWhiteSpace(inside[nameLength]) && inside[nameLength] != '/')
        {
            nameLength++;
        }

        var tag = inside[..nameLength].ToString().ToLowerInvariant();
        if (!SupportedTags.Contains(tag))
        {
            return $"Unsupported start tag \"{tag}\" at byte offset {byteOffset}";
        }

        var attributes = inside[nameLength..].ToString();
        if (tag == "span" && !HasSpoilerClass(attributes))
        {
            return $"Tag \"span\" must have class \"tg-spoiler\" at byte offset {byteOffset}";
        }

        open.Push(tag);
        return null;
    }

    private static bool HasSpoilerClass(string attributes) =>
        attributes.Contains("class=\"tg-spoiler\"", StringComparison.OrdinalIgnoreCase)
        || attributes.Contains("class='tg-spoiler'", StringComparison.OrdinalIgnoreCase)
        || attributes.Contains("class=tg-spoiler", StringComparison.OrdinalIgnoreCase);

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
}
