using Xunit.Sdk;
using Xunit;

namespace Atlas.Bot.Tests.Posts;

public sealed class TelegramHtmlAssertTests
{
    [Theory]
    [InlineData("<b><i>x</b></i>")]
    [InlineData("<p>x</p>")]
    [InlineData("Tom & Jerry")]
    [InlineData("1 < 2")]
    [InlineData("3 > 2")]
    [InlineData("a&nbsp;b")]
    [InlineData("<b>never closed")]
    [InlineData("<b></b>")]
    [InlineData("<a>no href</a>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<a href='https://example.com'>single quotes</a>")]
    [InlineData("<code><b>x</b></code>")]
    [InlineData("<a href=\"https://a.example\"><a href=\"https://b.example\">x</a></a>")]
    [InlineData("<blockquote><blockquote>x</blockquote></blockquote>")]
    [InlineData("<b class=\"x\">x</b>")]
    public void The_checker_rejects_what_Telegram_would_reject(string html) =>
        Assert.Throws<XunitException>(() => TelegramHtmlAssert.Valid(html));

    [Theory]
    [InlineData("<b>bold <i>and italic</i></b> &lt;&gt;&amp;&quot; &#169; &#x41;", "bold and italic <>&\" © A")]
    [InlineData("<a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;\">link</a>", "link")]
    [InlineData("<strong>s</strong><em>e</em><ins>i</ins><del>d</del><strike>k</strike><tg-spoiler>t</tg-spoiler>", "seidkt")]
    [InlineData("<pre>code</pre>\n<blockquote>quote</blockquote>", "code\nquote")]
    public void The_checker_accepts_valid_html_and_returns_its_text(string html, string text) =>
        Assert.Equal(text, TelegramHtmlAssert.Valid(html));

    [Fact]
    public void The_checker_counts_length_in_UTF16_units_after_entities() =>
        Assert.Equal(5, TelegramHtmlAssert.PlainLength("😀&amp;&#x1F600;"));
}
