using Atlas.Bot.Posts;
using Xunit;

namespace Atlas.Bot.Tests.Posts;

public sealed class TelegramMarkupTruncationTests
{
    [Theory]
    [InlineData("Alpha beta gamma", 16, "Alpha beta gamma")]
    [InlineData("Alpha beta gamma delta", 14, "Alpha beta…")]
    [InlineData("Alpha beta gamma delta", 11, "Alpha beta…")]
    [InlineData("Alpha beta gamma delta", 10, "Alpha…")]
    [InlineData("<b>Alpha <i>beta gamma</i></b> delta", 13, "<b>Alpha <i>beta</i></b>…")]
    [InlineData("Alpha <b>betagamma</b>", 9, "Alpha…")]
    [InlineData("<b>foo</b>bar baz", 7, "<b>foo</b>bar…")]
    [InlineData("<b>foo</b>bar baz", 6, "<b>foo</b>ba…")]
    [InlineData("Alpha, beta gamma", 10, "Alpha…")]
    [InlineData("<p>First paragraph.</p><ul><li>Item one</li></ul>", 22, "First paragraph.…")]
    [InlineData("Tom &amp; Jerry &amp; Co", 12, "Tom &amp; Jerry…")]
    [InlineData("Tom &amp; Jerry &amp; Co", 10, "Tom…")]
    [InlineData("&lt;&lt;&lt;&lt;&lt;", 3, "&lt;&lt;…")]
    [InlineData("Supercalifragilistic", 6, "Super…")]
    [InlineData("Alpha beta", 1, "…")]
    [InlineData("Alpha beta", 0, "")]
    public void Text_is_cut_at_a_word_boundary_with_an_ellipsis(string html, int limit, string expected)
    {
        var truncated = TelegramHtml.Convert(html).Truncate(limit).ToHtml();

        Assert.Equal(expected, truncated);
        TelegramHtmlAssert.ValidWithin(truncated, limit);
    }

    [Theory]
    [InlineData("😀😀😀😀😀😀", 6, "😀😀…")]
    [InlineData("😀😀😀😀😀😀", 5, "😀😀…")]
    [InlineData("😀😀😀😀😀😀", 4, "😀…")]
    [InlineData("👨‍👩‍👧👨‍👩‍👧", 10, "👨‍👩‍👧…")]
    [InlineData("🇦🇿🇦🇿🇦🇿", 6, "🇦🇿…")]
    public void Surrogate_pairs_and_emoji_sequences_are_never_split(string html, int limit, string expected)
    {
        var truncated = TelegramHtml.Convert(html).Truncate(limit).ToHtml();

        Assert.Equal(expected, truncated);
        TelegramHtmlAssert.ValidWithin(truncated, limit);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(40)]
    [InlineData(60)]
    [InlineData(80)]
    public void A_long_url_in_a_link_is_never_cut_in_its_href(int limit)
    {
        const string Href = "https://atlas.example/az/analitika/2026/11/28/cenubi-qafqazda-enerji-dehlizleri?utm_source=telegram&amp;utm_medium=channel";
        var html = $"Read <a href=\"{Href}\">the full report on energy corridors</a> today";

        var truncated = TelegramHtml.Convert(html).Truncate(limit).ToHtml();

        TelegramHtmlAssert.ValidWithin(truncated, limit);
        Assert.True(!truncated.Contains("<a", StringComparison.Ordinal) || truncated.Contains($"<a href=\"{Href}\">", StringComparison.Ordinal), truncated);
    }

    [Fact]
    public void Every_limit_yields_valid_html_within_the_limit()
    {
        var markup = TelegramHtml.Convert(string.Concat(Enumerable.Repeat(Samples.WordPressPost + "<p>😀 Emoji 🇦🇿 <code>x &lt; y</code></p>", 3)));

        for (var limit = 0; limit <= markup.PlainLength + 1; limit++)
        {
            var truncated = markup.Truncate(limit).ToHtml();

            var text = TelegramHtmlAssert.ValidWithin(truncated, limit);
            Assert.True(limit >= markup.PlainLength || text.Length == 0 || text.EndsWith('…'), $"limit {limit}: {truncated}");
        }
    }
}
