using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Xunit;

namespace Atlas.Bot.Tests.Posts;

public sealed class PostFormatterTests
{
    private static readonly TimeZoneInfo Baku = TimeZoneInfo.CreateCustomTimeZone("Baku", TimeSpan.FromHours(4), "Baku", "Baku");

    // 22:30 UTC on the 27th is already the 28th in Baku.
    private static readonly DateTimeOffset LateEvening = new(2026, 11, 27, 22, 30, 0, TimeSpan.Zero);

    private static FeedItem Item(
        string title = "Energy corridors",
        string? summary = "<p>The <b>short</b> summary.</p>",
        string? content = null,
        string? author = "Leyla Əliyeva",
        DateTimeOffset? published = null,
        string? image = null,
        string? link = "https://atlas.example/az/p/1") =>
        new("id-1", title, link, published ?? LateEvening, author, image, summary, content);

    [Fact]
    public void A_post_has_a_bold_title_a_byline_a_blank_line_and_the_summary()
    {
        var post = PostFormatter.Format(Item(), "az", Baku);

        Assert.Equal("<b>Energy corridors</b>\n28 noyabr 2026 · Leyla Əliyeva\n\nThe <b>short</b> summary.", post.TextHtml);
        TelegramHtmlAssert.ValidWithin(post.TextHtml, PostFormatter.TextLimit);
    }

    [Theory]
    [InlineData("az", "28 noyabr 2026", "Oxu")]
    [InlineData("ru", "28 ноября 2026", "Читать")]
    [InlineData("en", "28 November 2026", "Read")]
    [InlineData("ru-RU", "28 ноября 2026", "Читать")]
    [InlineData("AZ", "28 noyabr 2026", "Oxu")]
    [InlineData("de", "28 November 2026", "Read")]
    [InlineData("", "28 November 2026", "Read")]
    public void Date_and_button_speak_the_feed_language(string language, string date, string button)
    {
        var post = PostFormatter.Format(Item(), language, Baku);

        Assert.Contains($"\n{date} · ", post.TextHtml, StringComparison.Ordinal);
        Assert.Equal(button, post.ButtonText);
        Assert.Equal("https://atlas.example/az/p/1", post.ButtonUrl);
    }

    [Theory]
    [InlineData("az", "Yeni nəşr")]
    [InlineData("ru", "Новая публикация")]
    [InlineData("en", "New publication")]
    public void An_item_with_nothing_but_a_link_still_makes_a_post_Telegram_accepts(string language, string label)
    {
        var post = PostFormatter.Format(Item(title: "", summary: null, author: null) with { Published = null }, language, Baku);

        Assert.Equal($"<b>{label}</b>", post.TextHtml);
        TelegramHtmlAssert.ValidWithin(post.TextHtml, PostFormatter.TextLimit);
    }

    [Theory]
    [InlineData("az", 1, "yanvar")]
    [InlineData("az", 8, "avqust")]
    [InlineData("ru", 3, "марта")]
    [InlineData("ru", 5, "мая")]
    [InlineData("en", 12, "December")]
    public void Every_month_has_its_name(string language, int month, string name)
    {
        var post = PostFormatter.Format(Item(published: new DateTimeOffset(2026, month, 15, 12, 0, 0, TimeSpan.Zero)), language, Baku);

        Assert.Contains($"\n15 {name} 2026 · ", post.TextHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_title_is_escaped_and_its_whitespace_collapsed()
    {
        var post = PostFormatter.Format(Item(title: "  Tom & Jerry <3\n\"quoted\"  "), "en", Baku);

        Assert.StartsWith("<b>Tom &amp; Jerry &lt;3 &quot;quoted&quot;</b>\n", post.TextHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "Leyla", "<b>T</b>\n28 November 2026 · Leyla\n\nS")]
    [InlineData(true, null, "<b>T</b>\n28 November 2026\n\nS")]
    [InlineData(false, "Leyla", "<b>T</b>\nLeyla\n\nS")]
    [InlineData(false, "  ", "<b>T</b>\n\nS")]
    public void The_byline_shows_what_is_known(bool dated, string? author, string expected)
    {
        var item = Item(title: "T", summary: "S", author: author) with { Published = dated ? LateEvening : null };

        Assert.Equal(expected, PostFormatter.Format(item, "en", Baku).TextHtml);
    }

    [Theory]
    [InlineData(null, "<p>From content</p>", "From content")]
    [InlineData("<p>&nbsp;</p><img src=\"https://x.example/a.jpg\">", "<p>From content</p>", "From content")]
    [InlineData("<p>From summary</p>", "<p>From content</p>", "From summary")]
    [InlineData(null, null, "")]
    public void The_summary_comes_from_the_feed_summary_else_the_content(string? summary, string? content, string expected)
    {
        var post = PostFormatter.Format(Item(title: "T", summary: summary, content: content, author: null, published: null) with { Published = null }, "en", Baku);

        Assert.Equal(expected.Length == 0 ? "<b>T</b>" : $"<b>T</b>\n\n{expected}", post.TextHtml);
    }

    [Theory]
    [InlineData("https://atlas.example/a.jpg", "https://atlas.example/a.jpg")]
    [InlineData("http://atlas.example/a.jpg", "http://atlas.example/a.jpg")]
    [InlineData("ftp://atlas.example/a.jpg", null)]
    [InlineData("/relative.jpg", null)]
    [InlineData(null, null)]
    public void Only_an_http_image_makes_a_photo_with_a_caption(string? image, string? photo)
    {
        var post = PostFormatter.Format(Item(image: image), "en", Baku);

        Assert.Equal(photo, post.PhotoUrl);
        Assert.Equal(photo is null ? null : post.TextHtml, post.CaptionHtml);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("javascript:alert(1)")]
    public void Without_a_web_link_there_is_no_button(string? link)
    {
        var post = PostFormatter.Format(Item(link: link), "az", Baku);

        Assert.Null(post.ButtonText);
        Assert.Null(post.ButtonUrl);
    }

    [Theory]
    [InlineData("Azərbaycan iqtisadiyyatında şəffaflıq və ölçülə bilən İnkişaf. ")]
    [InlineData("Экономика Азербайджана: «рост» и ёлки. ")]
    [InlineData("Emoji 😀 flags 🇦🇿 families 👨‍👩‍👧 everywhere. ")]
    [InlineData("Tom &amp; Jerry &lt;3 <b>bold <i>both</i></b> <a href=\"https://atlas.example/very/long/path?x=1&amp;y=2\">a link here</a>. ")]
    public void Long_content_is_cut_to_fit_text_and_caption_keeping_the_title_line(string sentence)
    {
        var item = Item(summary: null, content: string.Concat(Enumerable.Repeat($"<p>{sentence}{sentence}</p>", 400)), image: "https://atlas.example/a.jpg");

        var post = PostFormatter.Format(item, "az", Baku);

        foreach (var (html, limit) in new[] { (post.TextHtml, PostFormatter.TextLimit), (post.CaptionHtml!, PostFormatter.CaptionLimit) })
        {
            var text = TelegramHtmlAssert.ValidWithin(html, limit);
            Assert.StartsWith("<b>Energy corridors</b>\n28 noyabr 2026 · Leyla Əliyeva\n\n", html, StringComparison.Ordinal);
            Assert.EndsWith("…", text, StringComparison.Ordinal);
            Assert.True(text.Length > limit - 120, $"Only {text.Length} of {limit} used.");
        }
    }

    [Fact]
    public void A_post_exactly_at_the_limit_is_not_cut()
    {
        var header = "<b>Energy corridors</b>\n28 noyabr 2026 · Leyla Əliyeva\n\n";
        var room = PostFormatter.TextLimit - TelegramHtmlAssert.PlainLength(header);
        var fitting = PostFormatter.Format(Item(summary: new string('x', room)), "az", Baku);
        var overflowing = PostFormatter.Format(Item(summary: new string('x', room - 2) + " yy"), "az", Baku);

        Assert.Equal(PostFormatter.TextLimit, TelegramHtmlAssert.PlainLength(fitting.TextHtml));
        Assert.EndsWith("x…", overflowing.TextHtml, StringComparison.Ordinal);
        TelegramHtmlAssert.ValidWithin(overflowing.TextHtml, PostFormatter.TextLimit);
    }

    [Fact]
    public void A_title_too_long_for_a_caption_is_cut_but_the_byline_stays()
    {
        var title = string.Concat(Enumerable.Repeat("Çox uzun başlıq ", 100));
        var post = PostFormatter.Format(Item(title: title, image: "https://atlas.example/a.jpg"), "az", Baku);

        var caption = TelegramHtmlAssert.ValidWithin(post.CaptionHtml!, PostFormatter.CaptionLimit);
        Assert.EndsWith("başlıq…\n28 noyabr 2026 · Leyla Əliyeva", caption, StringComparison.Ordinal);
        Assert.StartsWith($"<b>{title.Trim()}</b>\n", post.TextHtml, StringComparison.Ordinal);
    }
}
