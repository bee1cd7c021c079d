using System.Globalization;
using System.Net;
using System.Text;
using Atlas.Bot.Feeds;

namespace Atlas.Bot.Benchmarks;

/// <summary>
/// A long article body as WordPress writes it (figures, headings, paragraphs with bold, italics and links, lists,
/// quotes), grown from the sample feed's own text to about a given length, because the samples' bodies are a few hundred
/// characters and the costs that matter are those of full-length analyses.
/// </summary>
internal static class WordPressArticle
{
    public static string Build(ParsedFeed sample, int length)
    {
        var sentences = sample.Items
            .Select(item => WebUtility.HtmlEncode(item.Title))
            .Concat(sample.Items.Select(item => item.SummaryHtml ?? string.Empty))
            .Where(text => text.Length > 0)
            .ToArray();
        var html = new StringBuilder(length + 1024);
        for (var section = 0; html.Length < length; section++)
        {
            var item = sample.Items[section % sample.Items.Count];
            var text = sentences[section % sentences.Length];
            var title = WebUtility.HtmlEncode(item.Title);
            var author = WebUtility.HtmlEncode(item.Author);
            if (section % 4 == 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<figure class="wp-block-image size-large"><img decoding="async" width="1200" height="675" src="{item.ImageUrl}" alt="" class="wp-image-{section}" /><figcaption>{title}</figcaption></figure>""");
            }

            html.Append(CultureInfo.InvariantCulture, $"""
                <h2 class="wp-block-heading">{title}</h2>
                <p>{text} <strong>{title}</strong> {text} <em>{author}</em>, <a href="{item.Link}">{title}</a>.</p>
                <ul class="wp-block-list"><li>{text}</li><li><strong>{author}</strong>: {text}</li></ul>
                <blockquote class="wp-block-quote"><p>{text}</p><cite>{author}</cite></blockquote>
                <p>{text}&nbsp;&#8212; {text}</p>

                """);
        }

        // Cut after a tag, as a whole section would overshoot: what is left open the parser closes, as it must for real feeds.
        var end = html.ToString(0, length).LastIndexOf('>') + 1;
        return html.ToString(0, end);
    }
}
