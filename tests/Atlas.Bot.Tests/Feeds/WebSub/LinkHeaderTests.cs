using Atlas.Bot.Feeds.WebSub;
using Xunit;

namespace Atlas.Bot.Tests.Feeds.WebSub;

public sealed class LinkHeaderTests
{
    private static readonly Uri Request = new("https://atlas.az/en/feed/");

    [Theory]
    [InlineData("<https://hub.example/>; rel=\"hub\"", "https://hub.example/ [hub]")]
    [InlineData("<https://hub.example/>; rel=hub", "https://hub.example/ [hub]")]
    [InlineData("<https://hub.example/>;rel=\"hub\",<https://atlas.az/en/feed/>;rel=\"self\"", "https://hub.example/ [hub] | https://atlas.az/en/feed/ [self]")]
    [InlineData("<https://hub.example/>; rel=\"HUB\"", "https://hub.example/ [hub]")]
    [InlineData("<https://atlas.az/en/feed/>; rel=\"self alternate\"", "https://atlas.az/en/feed/ [self alternate]")]
    [InlineData("<https://hub.example/>; title=\"a, b; c\"; rel=\"hub\"", "https://hub.example/ [hub]")]
    [InlineData("<https://hub.example/>; title=\"say \\\"hi\\\"\"; rel=hub", "https://hub.example/ [hub]")]
    [InlineData("<https://hub.example/>; rel=\"hub\"; rel=\"self\"", "https://hub.example/ [hub]")]
    [InlineData("<https://hub.example/?a=1,2>; rel=hub", "https://hub.example/?a=1,2 [hub]")]
    [InlineData("</websub>; rel=\"hub\"", "https://atlas.az/websub [hub]")]
    [InlineData("<atom/>; rel=\"self\"", "https://atlas.az/en/feed/atom/ [self]")]
    [InlineData("<https://hub.example/>", "https://hub.example/ []")]
    [InlineData("  ,  <https://hub.example/> ; rel = \"hub\" ,", "https://hub.example/ [hub]")]
    [InlineData("https://broken.example/; rel=hub, <https://hub.example/>; rel=hub", "https://hub.example/ [hub]")]
    [InlineData("<https://broken.example/; rel=hub", "")]
    [InlineData("<https://hub.example/> junk; rel=self, <https://other.example/>; rel=hub", "https://hub.example/ [] | https://other.example/ [hub]")]
    [InlineData("", "")]
    public void A_header_value_reads_as_its_links(string header, string expected) =>
        Assert.Equal(expected, Render(LinkHeader.Parse([header], Request)));

    [Fact]
    public void Several_header_lines_read_in_order() =>
        Assert.Equal(
            "https://hub.example/ [hub] | https://atlas.az/en/feed/ [self]",
            Render(LinkHeader.Parse(["<https://hub.example/>; rel=hub", "<https://atlas.az/en/feed/>; rel=self"], Request)));

    [Fact]
    public void An_anchor_is_resolved_and_kept()
    {
        var link = Assert.Single(LinkHeader.Parse(["<https://hub.example/>; rel=hub; anchor=\"/other/feed/\""], Request));

        Assert.Equal(new Uri("https://atlas.az/other/feed/"), link.Anchor);
    }

    [Fact]
    public void The_websub_links_are_the_hubs_in_order_and_the_first_self_of_the_response_itself()
    {
        var links = LinkHeader.WebSub(
            [
                "<https://hub-one.example/>; rel=hub, <https://atlas.az/en/feed/>; rel=self",
                "<https://hub-two.example/>; rel=\"hub\", <https://hub-one.example/>; rel=hub, <https://elsewhere.example/>; rel=self",
                "<https://anchored.example/>; rel=hub; anchor=\"https://atlas.az/other/\"",
            ],
            Request);

        Assert.Equal([new Uri("https://hub-one.example/"), new Uri("https://hub-two.example/")], links.Hubs);
        Assert.Equal(new Uri("https://atlas.az/en/feed/"), links.Self);
    }

    [Fact]
    public void Headers_without_hub_or_self_name_no_websub_links() =>
        Assert.Same(WebSubLinks.None, LinkHeader.WebSub(["<https://atlas.az/en/>; rel=alternate"], Request));

    private static string Render(IReadOnlyList<HeaderLink> links) =>
        string.Join(" | ", links.Select(l => $"{l.Target.OriginalString} [{string.Join(' ', l.Rels)}]"));
}
