using Atlas.Bot.Feeds.Parsing;

namespace Atlas.Bot.Tests.Feeds;

public sealed class EvidentHtmlTests
{
    [Theory]
    [InlineData("<p>Item Title</p>", true)]
    [InlineData("\n      <div class=\"embed embed-internal\">\n<div>\n<h1 id=\"x\">Adobe</h1>\n</div></div>", true)]
    [InlineData("Breaking: <b>Big News</b> today", true)]
    [InlineData("<A HREF=\"https://atlas.az/\">Atlas</a >", true)]
    [InlineData("<p class='lead' data-x=\"a>b\">Text</p>", true)]
    [InlineData("<ul><li>one", false)]
    [InlineData("a < b and c > d", false)]
    [InlineData("if a<b>c then d", false)]
    [InlineData("History of the <blink> tag", false)]
    [InlineData("Line one<br/>line two<br>", false)]
    [InlineData("<p>never closed", false)]
    [InlineData("</p> before <p>", false)]
    [InlineData("<script>alert(1)</script>", false)]
    [InlineData("<style>p { color: red }</style>", false)]
    [InlineData("<pp>not an element</pp>", false)]
    [InlineData("<p <p <p>", false)]
    [InlineData("1 <2 and 3> 2", false)]
    [InlineData("", false)]
    [InlineData("<", false)]
    public void Text_is_evident_html_only_with_a_content_elements_start_and_end_tag(string text, bool evident)
    {
        Assert.Equal(evident, EvidentHtml.Is(text));
    }

    [Theory]
    [InlineData("&lt;p&gt;Item Title&lt;/p&gt;", "<p>Item Title</p>")]
    [InlineData("&lt;p&gt;Price in &amp;euro;&lt;/p&gt;", "<p>Price in &euro;</p>")]
    [InlineData("&LT;b&GT;Bold&#60;/b&#x3E;", "<b>Bold</b>")]
    [InlineData("Write &lt;b&gt; for bold", null)]
    [InlineData("&lt;script&gt;alert(1)&lt;/script&gt;", null)]
    [InlineData("<p>Write &lt;b&gt;x&lt;/b&gt;</p>", null)]
    [InlineData("Price in &amp;euro;", null)]
    [InlineData("No references at all", null)]
    public void Html_escaped_twice_is_html_with_no_tag_of_its_own_whose_text_is_evident_html(string html, string? once)
    {
        Assert.Equal(once, EvidentHtml.EscapedTwice(html));
    }

    [Fact]
    public void A_hundred_thousand_unclosed_tags_are_sniffed_in_one_pass()
    {
        var hostile = string.Concat(Enumerable.Repeat("<p <div <b ", 100_000 / 11)) + ">" + string.Concat(Enumerable.Repeat("</p", 10_000));

        Assert.False(EvidentHtml.Is(hostile));
    }
}
