using System.Text;
using AngleSharp.Dom;

namespace Atlas.Bot.Posts;

/// <summary>What a reader would see differently in a post rendered again; several may hold at once.</summary>
[Flags]
public enum PostChange
{
    None = 0,

    /// <summary>The text form (<see cref="Post.TextHtml"/>) reads differently: words, formatting or where a link leads.</summary>
    Text = 1,

    /// <summary>
    /// The caption reads differently, or one post has a caption and the other none. A message sent as a photo shows the
    /// caption; one sent as text (or in a fallback <see cref="PostForm"/>) shows the text.
    /// </summary>
    Caption = 2,

    /// <summary>Another picture, or a picture gained or lost (then <see cref="PhotoGained"/> or <see cref="PhotoLost"/> too).</summary>
    Photo = 4,

    /// <summary>The first post had no picture (it went out as text) and the new one has.</summary>
    PhotoGained = 8,

    /// <summary>The first post had a picture and the new one has none.</summary>
    PhotoLost = 16,

    /// <summary>The buttons differ: the "Read" button's URL (the article's link) or label, or the rows of buttons.</summary>
    Link = 32,
}

/// <summary>
/// Compares a post as first sent with the same item rendered again, by what a reader sees, so that only a correction
/// edits a message. The HTML is read as HTML (AngleSharp), not compared as a string: attribute order and quoting,
/// how a character is escaped, <c>utm_*</c> parameters in a link, and whitespace a reader cannot see (at the end of a
/// line or of the message) make no difference. Everything else does, including runs of spaces inside a line (Telegram
/// shows them; the formatter collapses them everywhere but in preformatted text, where they are indentation) and the
/// order of other query parameters (it can matter to a server, e.g. a signed image URL, and a feed that reorders them
/// is rare enough that an edit is the safer mistake).
/// </summary>
public static class PostChanges
{
    /// <param name="first">The post as first rendered and sent (stored in the outbox).</param>
    /// <param name="now">
    /// The item rendered again; for a feed item use <see cref="PostFormatter.FormatRevision"/> so that a moved date alone is no change.
    /// </param>
    public static PostChange Between(Post first, Post now)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(now);

        var change = PostChange.None;
        if (!SameHtml(first.TextHtml, now.TextHtml))
        {
            change |= PostChange.Text;
        }

        if (!SameHtml(first.CaptionHtml, now.CaptionHtml))
        {
            change |= PostChange.Caption;
        }

        if (!SameUrl(first.PhotoUrl, now.PhotoUrl))
        {
            change |= PostChange.Photo
                | (first.PhotoUrl is null ? PostChange.PhotoGained : PostChange.None)
                | (now.PhotoUrl is null ? PostChange.PhotoLost : PostChange.None);
        }

        if (!SameButtons(first, now))
        {
            change |= PostChange.Link;
        }

        return change;
    }

    private static bool SameUrl(string? first, string? now) =>
        string.Equals(WebUrls.WithoutUtm(first), WebUrls.WithoutUtm(now), StringComparison.Ordinal);

    private static bool SameButtons(Post first, Post now) =>
        string.Equals(first.ButtonText, now.ButtonText, StringComparison.Ordinal)
        && SameUrl(first.ButtonUrl, now.ButtonUrl)
        && (first.Keyboard ?? []).Count == (now.Keyboard ?? []).Count
        && (first.Keyboard ?? []).Zip(now.Keyboard ?? []).All(rows => rows.First.Count == rows.Second.Count
            && rows.First.Zip(rows.Second).All(buttons => SameButton(buttons.First, buttons.Second)));

    private static bool SameButton(InlineButton first, InlineButton now) =>
        first with { Url = WebUrls.WithoutUtm(first.Url) } == now with { Url = WebUrls.WithoutUtm(now.Url) };

    // The same string is the same post, and most posts seen again have not changed at all: no need to parse them.
    private static bool SameHtml(string? first, string? now) =>
        string.Equals(first, now, StringComparison.Ordinal)
        || (first is not null && now is not null && string.Equals(Seen(first), Seen(now), StringComparison.Ordinal));

    /// <summary>
    /// The post's HTML written back in one canonical form: tags with their attributes sorted and links without
    /// <c>utm_*</c>, text with only the characters that could be taken for markup escaped, whitespace a reader
    /// cannot see left out.
    /// </summary>
    private static string Seen(string telegramHtml)
    {
        var seen = new SeenText();
        seen.Write(TelegramHtml.ParseFragment(telegramHtml));
        return seen.ToString();
    }

    private sealed class SeenText
    {
        private readonly StringBuilder _seen = new();
        private readonly StringBuilder _indent = new();
        private int _newlines;
        private bool _visible;

        public void Write(INodeList nodes)
        {
            foreach (var node in nodes)
            {
                switch (node)
                {
                    case IText text:
                        WriteText(text.Data);
                        break;
                    case IElement element:
                        WriteTag(element);
                        Write(element.ChildNodes);
                        _seen.Append("</").Append(element.LocalName).Append('>');
                        break;
                }
            }
        }

        // What Telegram drops around a message (leading and trailing whitespace) is left out by never writing
        // pending whitespace before the first or after the last visible character.
        public override string ToString() => _seen.ToString();

        private void WriteTag(IElement element)
        {
            _seen.Append('<').Append(element.LocalName);
            foreach (var attribute in element.Attributes.OrderBy(attribute => attribute.Name, StringComparer.Ordinal))
            {
                var value = attribute.Name == "href" ? WebUrls.WithoutUtm(attribute.Value.Trim()) : attribute.Value;
                _seen.Append(' ').Append(attribute.Name).Append("=\"").Append(value.Replace("\"", "&quot;", StringComparison.Ordinal)).Append('"');
            }

            _seen.Append('>');
        }

        private void WriteText(string text)
        {
            foreach (var character in text)
            {
                if (character == '\n')
                {
                    // Spaces before a line break end a line, where nobody sees them.
                    _newlines++;
                    _indent.Clear();
                }
                else if (char.IsWhiteSpace(character) || char.IsControl(character))
                {
                    _indent.Append(character);
                }
                else
                {
                    WriteVisible(character);
                }
            }
        }

        private void WriteVisible(char character)
        {
            if (_visible)
            {
                _seen.Append('\n', _newlines).Append(_indent);
            }

            _visible = true;
            _newlines = 0;
            _indent.Clear();
            _ = character switch
            {
                '<' => _seen.Append("&lt;"),
                '&' => _seen.Append("&amp;"),
                _ => _seen.Append(character),
            };
        }
    }
}
