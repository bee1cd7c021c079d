using System.Globalization;
using AngleSharp.Dom;
using Atlas.Bot.Feeds.Parsing;

namespace Atlas.Bot.Posts;

/// <summary>Walks a parsed feed-HTML DOM and writes what Telegram can show through a <see cref="TelegramMarkupBuilder"/>.</summary>
internal sealed class FeedHtmlWalker
{
    // Deeper than this, only text is kept: it bounds the recursion on hostile input and no real article nests so deep.
    private const int MaxDepth = 200;

    // What a browser never shows as text (FeedHtml.Unseen: script, style, noembed… keep entities undecoded and would put
    // "&euro;" in front of the reader), and the media and forms a post cannot show. Xmp and plaintext are raw too but
    // shown, as browsers show them: their author asked for the characters as written.
    private static readonly HashSet<string> Invisible = new(FeedHtml.Unseen, StringComparer.Ordinal)
    {
        "svg", "math", "object", "embed", "video", "audio", "canvas", "picture", "img", "form", "button", "input", "select",
        "textarea",
    };

    // Block elements separated by a blank line; other blocks get a line of their own.
    private static readonly HashSet<string> Paragraphs = new(StringComparer.Ordinal)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "table", "hr", "dl", "address",
    };

    private static readonly HashSet<string> Lines = new(StringComparer.Ordinal)
    {
        "div", "section", "article", "header", "footer", "aside", "nav", "main", "figcaption", "center", "details",
        "summary", "tr", "dt", "dd", "caption", "fieldset", "legend",
    };

    private static readonly string[] LinkSchemes = ["http", "https", "tg", "mailto"];

    private readonly TelegramMarkupBuilder _builder = new();
    private int _listDepth;
    private int _preDepth;
    private int _depth;

    public static TelegramMarkup Walk(INodeList nodes)
    {
        var walker = new FeedHtmlWalker();
        walker.WriteChildren(nodes);
        return walker._builder.Build();
    }

    private void WriteChildren(INodeList nodes)
    {
        if (_depth >= MaxDepth)
        {
            WriteTextOnly(nodes);
            return;
        }

        _depth++;
        foreach (var node in nodes)
        {
            switch (node)
            {
                case IText text when _preDepth > 0:
                    _builder.AppendPreformatted(text.Data);
                    break;
                case IText text:
                    _builder.AppendText(text.Data);
                    break;
                case IElement element:
                    WriteElement(element);
                    break;
            }
        }

        _depth--;
    }

    private void WriteTextOnly(INodeList nodes)
    {
        foreach (var text in FeedHtml.VisibleText(nodes, Invisible))
        {
            _builder.AppendText(text.Data);
        }
    }

    private void WriteElement(IElement element)
    {
        var name = element.LocalName;
        if (Invisible.Contains(name))
        {
            return;
        }

        switch (name)
        {
            case "br":
                WriteLineBreak();
                return;
            case "ul" or "ol":
                WriteList(element);
                return;
            case "li":
                WriteListItem(element, "• ");
                return;
            case "td" or "th":
                WriteCell(element);
                return;
        }

        // Inside a list, paragraphs only separate lines: a blank line would split the list apart.
        var newlines = Paragraphs.Contains(name) ? (_listDepth > 0 ? 1 : 2) : Lines.Contains(name) ? 1 : 0;
        var preformatted = name == "pre" ? 1 : 0;
        _builder.EndBlock(newlines);
        _preDepth += preformatted;
        WriteFormatted(element, TagFor(element));
        _preDepth -= preformatted;
        _builder.EndBlock(newlines);
    }

    private void WriteLineBreak()
    {
        if (_preDepth > 0)
        {
            _builder.AppendPreformatted("\n");
        }
        else
        {
            _builder.LineBreak();
        }
    }

    private void WriteFormatted(IElement element, TelegramTag? tag)
    {
        var opened = tag is { } entity
            && _builder.TryOpen(entity, entity == TelegramTag.Link ? element.GetAttribute("href")?.Trim() : null);
        WriteChildren(element.ChildNodes);
        if (opened)
        {
            _builder.Close();
        }
    }

    private void WriteList(IElement list)
    {
        var newlines = _listDepth == 0 ? 2 : 1;
        _builder.EndBlock(newlines);
        _listDepth++;
        var number = int.TryParse(list.GetAttribute("start"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var start) ? start : 1;
        foreach (var child in list.ChildNodes)
        {
            if (child is IElement { LocalName: "li" } item)
            {
                var marker = list.LocalName == "ol" ? string.Create(CultureInfo.InvariantCulture, $"{number++}. ") : "• ";
                WriteListItem(item, marker);
            }
            else if (child is IElement element)
            {
                WriteElement(element);
            }
        }

        _listDepth--;
        _builder.EndBlock(newlines);
    }

    private void WriteListItem(IElement item, string marker)
    {
        _builder.StartLine(new string(' ', 2 * Math.Max(0, _listDepth - 1)) + marker);
        WriteChildren(item.ChildNodes);
        _builder.EndBlock(1);
    }

    private void WriteCell(IElement cell)
    {
        if (cell.PreviousElementSibling is not null)
        {
            _builder.AppendText(" | ");
        }

        WriteFormatted(cell, TagFor(cell));
    }

    private static TelegramTag? TagFor(IElement element) => element.LocalName switch
    {
        "b" or "strong" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "th" => TelegramTag.Bold,
        "i" or "em" or "cite" or "dfn" or "var" => TelegramTag.Italic,
        "u" or "ins" => TelegramTag.Underline,
        "s" or "strike" or "del" => TelegramTag.Strikethrough,
        "code" or "kbd" or "samp" or "tt" => TelegramTag.Code,
        "pre" => TelegramTag.Pre,
        "blockquote" => TelegramTag.Blockquote,
        "a" when IsAllowedLink(element.GetAttribute("href")) => TelegramTag.Link,
        _ => null,
    };

    private static bool IsAllowedLink(string? href) =>
        Uri.TryCreate(href?.Trim(), UriKind.Absolute, out var uri)
        && LinkSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase);
}
