using Xunit;

namespace Atlas.Bot.Tests.Telegram.Fake;

public sealed class TelegramHtmlRulesTests
{
    [Theory]
    [InlineData("plain", 5)]
    [InlineData("<b>bold</b> <strong>s</strong> <i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>", 14)]
    [InlineData("<a href=\"https://example.org/?a=1&amp;b=2\">link</a>", 4)]
    [InlineData("<pre><code class=\"language-cs\">x</code></pre><blockquote>q</blockquote>", 2)]
    [InlineData("<tg-spoiler>x</tg-spoiler><span class=\"tg-spoiler\">y</span>", 2)]
    [InlineData("&lt;&gt;&amp;&quot;&#39;&#x1F600;", 7)]
    [InlineData("  Bakı — 🇦🇿  ", 11)]
    [InlineData("<B>upper case tags</B>", 15)]
    [InlineData("<a href=\"tg://user?id=42\">user</a> <a href='mailto:info@atlas.az'>mail</a>", 9)]
    [InlineData("<a>https://atlas.az/</a>", 17)]
    [InlineData("<a title=\"x > y\" href=\"https://atlas.az/?q=a&amp;b\" target=blank>link</a>", 4)]
    [InlineData("<span class=tg-spoiler>x</span><blockquote expandable>q</blockquote>", 2)]
    public void Telegram_accepts(string html, int plainLength) =>
        Assert.Equal((true, (string?)null, plainLength), TelegramHtmlRules.Check(html));

    [Theory]
    [InlineData("<p>x</p>", "Unsupported start tag \"p\" at byte offset 0")]
    [InlineData("ə<br/>", "Unsupported start tag \"br\" at byte offset 2")]
    [InlineData("<b>x</i>", "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"")]
    [InlineData("<b><i>x</b></i>", "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\"")]
    [InlineData("x</b>", "Unexpected end tag at byte offset 1")]
    [InlineData("<b>x", "Can't find end tag corresponding to start tag \"b\"")]
    [InlineData("a < b > c", "Unsupported start tag \"\" at byte offset 2")]
    [InlineData("x <b", "Unclosed start tag at byte offset 2")]
    [InlineData("a < b", "Unclosed start tag at byte offset 2")]
    [InlineData("&nbsp;", "Unsupported HTML entity \"&nbsp;\" at byte offset 0")]
    [InlineData("AT&T", "Unescaped \"&\" at byte offset 2")]
    [InlineData("<span>x</span>", "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0")]
    [InlineData("<a href=\"https://atlas.az/a\"b\">x</a>", "Empty attribute name in the tag \"a\" at byte offset 0")]
    [InlineData("<a href=https://atlas.az/>x</a>", "Unexpected end of name token at byte offset 8")]
    [InlineData("<b />x</b>", "Empty attribute name in the tag \"b\" at byte offset 0")]
    [InlineData("<a href=\"https://atlas.az/?a=1&b=2\">x</a>", "Unescaped \"&\" at byte offset 30")]
    [InlineData("<a href=\"https://atlas.az/x\">x", "Can't find end tag corresponding to start tag \"a\"")]
    public void Telegram_refuses(string html, string error) =>
        Assert.Equal((false, error, 0), TelegramHtmlRules.Check(html));

    // Telegram itself keeps the text and drops the link (tdlib's parse_html); the rules refuse, because a post would lose its link.
    [Theory]
    [InlineData("<a>Read more</a>", "Read more")]
    [InlineData("<a href=\"\">Read more</a>", "Read more")]
    [InlineData("<a href=\"/en/analysis/1\">x</a>", "/en/analysis/1")]
    [InlineData("<a href=\"atlas.az/en\">x</a>", "atlas.az/en")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "javascript:alert(1)")]
    [InlineData("<a href=\"ftp://atlas.az/file\">x</a>", "ftp://atlas.az/file")]
    [InlineData("<a HREF=\"https://atlas.az/\">x</a>", "x")]
    public void A_link_needs_an_absolute_http_tg_or_mailto_URL(string html, string url) =>
        Assert.Equal(
            (false, $"Tag \"a\" at byte offset 0 links to '{url}', which is not an absolute http(s), tg or mailto URL (Telegram would drop the link)", 0),
            TelegramHtmlRules.Check(html));

    // What "message is not modified" compares: the text a reader sees and its entities, whatever markup made them.
    [Theory]
    [InlineData("<b>Başlıq</b> mətn", "Başlıq mətn", "bold@0+6")]
    [InlineData("  <strong>Başlıq</strong> mətn \n", "Başlıq mətn", "bold@0+6")]
    [InlineData("<b>Baş</b><b>lıq</b> <i><b>x</b></i>", "Başlıq x", "bold@0+6;bold@7+1;italic@7+1")]
    [InlineData("<a href=\"https://atlas.az/1\">Oxu</a> &amp; <span class=\"tg-spoiler\">s</span>", "Oxu & s", "text_link@0+3:https://atlas.az/1;spoiler@6+1")]
    [InlineData("<blockquote expandable>q</blockquote><blockquote>r</blockquote>", "qr", "expandable_blockquote@0+1;blockquote@1+1")]
    [InlineData("<b> </b>x", "x", "")]
    public void Render_gives_the_text_and_formatting_a_reader_sees(string html, string text, string formatting) =>
        Assert.Equal(new RenderedText(text, formatting), TelegramHtmlRules.Render(html));

    [Fact]
    public void Render_is_null_where_Telegram_refuses_the_markup() => Assert.Null(TelegramHtmlRules.Render("<p>x</p>"));
}
