using Atlas.Bot.Posts;
using Xunit;

namespace Atlas.Bot.Tests.Posts;

public sealed class WebUrlsTests
{
    public static TheoryData<string, string> Tagged => new()
    {
        { "https://atlas.az/az/analiz/x/?utm_source=rss&utm_medium=rss", "https://atlas.az/az/analiz/x/" },
        { "https://atlas.az/?p=123&utm_source=telegram&lang=az#qeydler", "https://atlas.az/?p=123&lang=az#qeydler" },
        { "https://atlas.az/?utm_campaign=x#top", "https://atlas.az/#top" },
        { "https://atlas.az/?UTM_Source=tg&b=2&a=1", "https://atlas.az/?b=2&a=1" },
        { "https://atlas.az/az/analiz/c%c9%99nubi-qafqaz/?utm_content=x", "https://atlas.az/az/analiz/c%c9%99nubi-qafqaz/" },
        { "https://atlas.az/ru/анализ/мир-на-кавказе/?q=%D0%BC%D0%B8%D1%80&utm_term=мир", "https://atlas.az/ru/анализ/мир-на-кавказе/?q=%D0%BC%D0%B8%D1%80" },
        { "https://atlas.az/az/təhlil/sülh?utm_source=rss&id=ə%20ş", "https://atlas.az/az/təhlil/sülh?id=ə%20ş" },
    };

    [Theory]
    [MemberData(nameof(Tagged))]
    public void Campaign_tags_are_removed_and_the_rest_kept_as_written(string url, string expected)
    {
        Assert.Equal(expected, WebUrls.WithoutUtm(url));
    }

    [Theory]
    [InlineData("https://atlas.az/az/analiz/x/")]
    [InlineData("https://atlas.az/utm_reports/?year=2026")]
    [InlineData("https://atlas.az/?source_utm=1&xutm_source=2&utm=3")]
    [InlineData("https://atlas.az/#section?utm_source=rss")]
    [InlineData("https://atlas.az/?b=2&a=1&b=3")]
    [InlineData("not a url?utm")]
    [InlineData("")]
    public void A_url_without_campaign_tags_comes_back_as_it_was(string url)
    {
        Assert.Same(url, WebUrls.WithoutUtm(url));
    }

    [Fact]
    public void No_url_stays_no_url()
    {
        Assert.Null(WebUrls.WithoutUtm(null));
    }
}
