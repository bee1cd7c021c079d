using System.Globalization;
using Telegram.Bot.Extensions;

namespace Atlas.Bot.Posts;

/// <summary>
/// Several new analyses for one subscriber as one message: a bold count, then one linked title a line,
/// oldest first. Lines that would pass Telegram's 4096 characters are summed up as "… and N more".
/// </summary>
public static class DigestFormatter
{
    public sealed record Entry(string Title, string? Url);

    public static string Format(IReadOnlyList<Entry> entries, string language)
    {
        var labels = PostLabels.For(language);
        var header = $"<b>{HtmlText.Escape(string.Format(CultureInfo.InvariantCulture, labels.DigestHeader, entries.Count))}</b>\n";
        var lines = new List<string>(entries.Count);
        var length = HtmlText.PlainLength(header) + 1;
        for (var i = 0; i < entries.Count; i++)
        {
            var line = Line(entries[i]);
            var more = string.Format(CultureInfo.InvariantCulture, labels.DigestMore, entries.Count - i);
            // Keep room for the "… and N more" line in case a later entry does not fit.
            if (length + HtmlText.PlainLength(line) + 1 + more.Length + 1 > PostFormatter.TextLimit)
            {
                lines.Add(HtmlText.Escape(more));
                break;
            }

            lines.Add(line);
            length += HtmlText.PlainLength(line) + 1;
        }

        return header + "\n" + string.Join("\n", lines);
    }

    private static string Line(Entry entry)
    {
        var title = string.IsNullOrWhiteSpace(entry.Title) ? "…" : entry.Title.Trim();
        if (title.Length > 300)
        {
            title = title[..299] + "…";
        }

        return Uri.TryCreate(entry.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? $"• <a href=\"{HtmlText.Escape(entry.Url)}\">{HtmlText.Escape(title)}</a>"
            : $"• {HtmlText.Escape(title)}";
    }
}
