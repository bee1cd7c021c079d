using Atlas.Bot.Posts;

namespace Atlas.Bot.Tests.Posts;

public sealed class DigestFormatterTests
{
    [Theory]
    [InlineData("az", "<b>3 yeni təhlil</b>")]
    [InlineData("en", "<b>3 new analyses</b>")]
    [InlineData("ru", "<b>Новых материалов: 3</b>")]
    public void A_digest_counts_its_analyses_in_the_subscribers_language_and_links_each_title(string language, string header)
    {
        var html = DigestFormatter.Format([new("Energy & gas", "https://atlas.az/1"), new("Corridor", "https://atlas.az/2?a=1&b=2"), new("No link", null)], language);

        Assert.Equal(
            $"{header}\n\n• <a href=\"https://atlas.az/1\">Energy &amp; gas</a>\n• <a href=\"https://atlas.az/2?a=1&amp;b=2\">Corridor</a>\n• No link",
            html);
        TelegramHtmlAssert.ValidWithin(html, PostFormatter.TextLimit);
    }

    [Fact]
    public void A_digest_too_long_for_one_message_sums_up_the_rest()
    {
        var entries = Enumerable.Range(1, 200).Select(i => new DigestFormatter.Entry(new string('x', 60) + i, $"https://atlas.az/{i}")).ToList();

        var html = DigestFormatter.Format(entries, "en");

        TelegramHtmlAssert.ValidWithin(html, PostFormatter.TextLimit);
        Assert.Matches(@"… and \d+ more$", html);
    }
}
