using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.Cli;
using Xunit;

namespace Atlas.Bot.Tests.Feeds;

/// <summary>The sample feeds shipped in config/samples for a dry run must read cleanly through the real path.</summary>
public sealed class SampleFeedsTests
{
    [Theory]
    [InlineData("az.xml")]
    [InlineData("en.xml")]
    [InlineData("ru.xml")]
    public void Each_bundled_sample_is_a_clean_feed_of_dated_illustrated_analyses_newest_first(string sample)
    {
        var path = Path.Combine(AtlasBotProcess.RepositoryRoot, "config", "samples", sample);
        var result = FeedParser.Parse(FeedDecoder.Decode(File.ReadAllBytes(path), httpCharset: null), new Uri("https://atlas.az/feed/"), FeedFixtures.Baku);

        var feed = Assert.IsType<FeedParseResult.Parsed>(result).Feed;
        Assert.Empty(feed.Warnings);
        Assert.InRange(feed.Items.Count, 5, 8);
        Assert.All(feed.Items, item =>
        {
            Assert.NotNull(item.Published);
            Assert.NotNull(item.Author);
            Assert.StartsWith("https://atlas.az/", item.ImageUrl, StringComparison.Ordinal);
            Assert.StartsWith("https://atlas.az/", item.Link, StringComparison.Ordinal);
        });
        Assert.Equal(feed.Items.OrderByDescending(i => i.Published).Select(i => i.Id), feed.Items.Select(i => i.Id));
    }
}
