using System.Globalization;
using System.Text;
using Xunit.Sdk;
using Xunit;

namespace Atlas.Bot.Tests.Posts;

/// <summary>
/// A strict, hand-written reader of Telegram's HTML parse mode, independent of the code under test.
/// It rejects what Telegram rejects (unknown tags, crossing tags, unknown entities, bare &amp; &lt; &gt;)
/// and more: entities Telegram forbids to nest, same-entity nesting, empty entities.
/// </summary>
internal static class TelegramHtmlAssert
{
    private static readonly Dictionary<string, string> Entities = new(StringComparer.Ordinal)
    {
        ["b"] = "b", ["strong"] = "b",
        ["i"] = "i", ["em"] = "i",
        ["u"] = "u", ["ins"] = "u",
        ["s"] = "s", ["strike"] = "s", ["del"] = "s",
        ["a"] = "a", ["code"] = "code", ["pre"] = "pre", ["blockquote"] = "blockquote", ["tg-spoiler"] = "tg-spoiler",
    };

    private static readonly Dictionary<string, string> NamedCharacters = new(StringComparer.Ordinal)
    {
        ["lt"] = "<", ["gt"] = ">", ["amp"] = "&", ["quot"] = "\"",
    };

    /// <summary>Fails unless <paramref name="html"/> is valid; returns the text Telegram would show.</summary>
    public static string Valid(string html)
    {
        var plain = new StringBuilder();
        var open = new Stack<(string Entity, int PlainStart)>();
        var position = 0;
        while (position < html.Length)
        {
            var character = html[position];
            switch (character)
            {
                case '<':
                    position = ReadTag(html, position, open, plain.Length);
                    break;
                case '&':
                    position = ReadEntity(html, position, plain);
                    break;
                case '>':
                    throw Failure(html, position, "a bare '>' in text");
                default:
                    plain.Append(character);
                    position++;
                    break;
            }
        }

        if (open.Count > 0)
        {
            throw Failure(html, html.Length, $"<{open.Peek().Entity}> is never closed");
        }

        var text = plain.ToString();
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                throw new XunitException($"A lone surrogate at plain offset {i} in: {html}");
            }
        }

        return text;
    }

    /// <summary>Fails unless the html is valid and Telegram would count at most <paramref name="limit"/> characters.</summary>
    public static string ValidWithin(string html, int limit)
    {
        var plain = Valid(html);
        if (plain.Length > limit)
        {
            throw new XunitException($"Plain length {plain.Length} (UTF-16 units) exceeds {limit}.");
        }

        return plain;
    }

    /// <summary>The length Telegram checks against its limits: UTF-16 code units of the text after parsing.</summary>
    public static int PlainLength(string html) => Valid(html).Length;

    private static int ReadTag(string html, int start, Stack<(string Entity, int PlainStart)> open, int plainLength)
    {
        var end = html.IndexOf('>', start);
        if (end < 0)
        {
            throw Failure(html, start, "an unterminated tag");
        }

        var inner = html[(start + 1)..end];
        if (inner.StartsWith('/'))
        {
            var name = inner[1..];
            if (!Entities.TryGetValue(name, out var closing))
            {
                throw Failure(html, start, $"unknown closing tag </{name}>");
            }

            if (open.Count == 0 || open.Peek().Entity != closing)
            {
                throw Failure(html, start, $"</{name}> does not close the innermost open tag");
            }

            if (open.Pop().PlainStart == plainLength)
            {
                throw Failure(html, start, $"<{name}> is empty");
            }

            return end + 1;
        }

        var space = inner.IndexOf(' ', StringComparison.Ordinal);
        var tag = space < 0 ? inner : inner[..space];
        var attributes = space < 0 ? string.Empty : inner[(space + 1)..];
        if (!Entities.TryGetValue(tag, out var entity))
        {
            throw Failure(html, start, $"unknown tag <{tag}>");
        }

        if (entity == "a")
        {
            RequireHref(html, start, attributes);
        }
        else if (attributes.Length > 0)
        {
            throw Failure(html, start, $"<{tag}> takes no attributes");
        }

        RequireNestingAllowed(html, start, entity, open);
        open.Push((entity, plainLength));
        return end + 1;
    }

    private static void RequireHref(string html, int start, string attributes)
    {
        if (!attributes.StartsWith("href=\"", StringComparison.Ordinal) || !attributes.EndsWith('"') || attributes.Length < 8)
        {
            throw Failure(html, start, "<a> needs exactly one double-quoted, non-empty href");
        }

        var value = attributes[6..^1];
        if (value.Contains('"', StringComparison.Ordinal) || value.Contains('<', StringComparison.Ordinal))
        {
            throw Failure(html, start, "an unescaped quote or '<' in href");
        }

        var decoded = new StringBuilder();
        for (var i = 0; i < value.Length;)
        {
            i = value[i] == '&' ? ReadEntity(value, i, decoded) : AppendOne(value, i, decoded);
        }

        var href = decoded.ToString();
        if (!Uri.TryCreate(href, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "tg" or "mailto"))
        {
            throw Failure(html, start, $"href '{href}' is not an http, https, tg or mailto URL");
        }
    }

    private static int AppendOne(string text, int index, StringBuilder into)
    {
        into.Append(text[index]);
        return index + 1;
    }

    private static void RequireNestingAllowed(string html, int start, string entity, Stack<(string Entity, int PlainStart)> open)
    {
        var outer = open.Select(frame => frame.Entity).ToList();
        string? reason = null;
        if (outer.Contains("pre") || outer.Contains("code"))
        {
            reason = "nothing may be nested in pre or code";
        }
        else if (outer.Contains(entity))
        {
            reason = $"<{entity}> nested in itself";
        }
        else if (outer.Contains("a") && entity is "code" or "pre" or "blockquote")
        {
            reason = $"<{entity}> may not be nested in a link";
        }

        if (reason is not null)
        {
            throw Failure(html, start, reason);
        }
    }

    private static int ReadEntity(string html, int start, StringBuilder plain)
    {
        var end = html.IndexOf(';', start);
        if (end < 0 || end - start > 10)
        {
            throw Failure(html, start, "a bare '&'");
        }

        var name = html[(start + 1)..end];
        if (NamedCharacters.TryGetValue(name, out var named))
        {
            plain.Append(named);
        }
        else if (TryNumeric(name, out var codePoint))
        {
            plain.Append(char.ConvertFromUtf32(codePoint));
        }
        else
        {
            throw Failure(html, start, $"entity &{name}; is not one Telegram knows");
        }

        return end + 1;
    }

    private static bool TryNumeric(string name, out int codePoint)
    {
        codePoint = 0;
        var parsed = name.StartsWith("#x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(name[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out codePoint)
            : name.StartsWith('#') && int.TryParse(name[1..], NumberStyles.None, CultureInfo.InvariantCulture, out codePoint);
        return parsed && codePoint is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF);
    }

    private static XunitException Failure(string html, int position, string problem)
    {
        var from = Math.Max(0, position - 30);
        var excerpt = html.Substring(from, Math.Min(html.Length, position + 30) - from);
        return new XunitException($"Not valid Telegram HTML: {problem} at {position}, near «{excerpt}».");
    }
}
