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
    public void Telegram_refuses(string html, string error) =>
        Assert.Equal((false, error, 0), TelegramHtmlRules.Check(html));
}
