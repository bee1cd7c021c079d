using Atlas.Bot.Commands;

namespace Atlas.Bot.Tests.Commands;

/// <summary>/latest and /stats link a title only to an absolute http(s) URL; a hostile feed's link stays text.</summary>
public sealed class ReplyLinksTests
{
    [Theory]
    [InlineData("https://atlas.az/a?x=1&y=\"2\"", "<a href=\"https://atlas.az/a?x=1&amp;y=&quot;2&quot;\">Title</a>")]
    [InlineData("http://atlas.az/a", "<a href=\"http://atlas.az/a\">Title</a>")]
    [InlineData("javascript:alert(1)", "Title")]
    [InlineData("tg://resolve?domain=x", "Title")]
    [InlineData("/relative/path", "Title")]
    [InlineData("", "Title")]
    [InlineData(null, "Title")]
    public void Only_an_absolute_http_url_becomes_a_link(string? url, string expected) =>
        Assert.Equal(expected, ReplyLinks.Anchor("Title", url));
}
