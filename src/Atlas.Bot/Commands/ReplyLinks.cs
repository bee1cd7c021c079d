using Atlas.Bot.Posts;
using Telegram.Bot.Extensions;

namespace Atlas.Bot.Commands;

/// <summary>
/// Links in command replies. A feed's link is whatever the feed says: only an absolute http(s) URL becomes a link;
/// anything else leaves the title as plain text.
/// </summary>
public static class ReplyLinks
{
    /// <param name="html">The link's text, already Telegram HTML.</param>
    public static string Anchor(string html, string? url) =>
        WebUrls.IsWeb(url)
            ? $"<a href=\"{HtmlText.Escape(url).Replace("\"", "&quot;", StringComparison.Ordinal)}\">{html}</a>"
            : html;
}
