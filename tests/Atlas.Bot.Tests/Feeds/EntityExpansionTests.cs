using System.Text;
using Atlas.Bot.Feeds;
using Xunit;

namespace Atlas.Bot.Tests.Feeds;

/// <summary>Internal entities are inlined for the feeds that use them, but never past the fetch cap.</summary>
public sealed class EntityExpansionTests
{
    [Fact]
    public void A_small_file_using_one_entity_a_million_times_is_refused_with_a_clear_reason()
    {
        var bomb = Rss($"<!DOCTYPE rss [<!ENTITY a \"{new string('h', 1_000)}\">]>", new StringBuilder().Insert(0, "&a;", 1_000_000).ToString());
        Assert.InRange(bomb.Length, 3_000_000, 3_100_000);

        var result = FeedParser.Parse(bomb, new Uri("https://atlas.az/feed/"), FeedFixtures.Baku);

        var refused = Assert.IsType<FeedParseResult.Unreadable>(result);
        Assert.Equal("the feed's internal entities would expand it beyond 10485760 characters (Fetch__MaxBytes): refused as an entity-expansion bomb", refused.Reason);
    }

    [Fact]
    public void Entities_that_stay_within_the_cap_are_inlined_as_before()
    {
        var feed = Rss("<!DOCTYPE rss [<!ENTITY org \"Atlas Research Center\">]>", "News from &org;");

        var parsed = Assert.IsType<FeedParseResult.Parsed>(FeedParser.Parse(feed, new Uri("https://atlas.az/feed/"), FeedFixtures.Baku));

        Assert.Equal("News from Atlas Research Center", Assert.Single(parsed.Feed.Items).Title);
    }

    [Fact]
    public void The_cap_is_the_one_the_caller_gives()
    {
        var feed = Rss($"<!DOCTYPE rss [<!ENTITY a \"{new string('h', 100)}\">]>", new StringBuilder().Insert(0, "&a;", 100).ToString());

        Assert.IsType<FeedParseResult.Parsed>(FeedParser.Parse(feed, null, FeedFixtures.Baku, maxLength: 20_000));
        Assert.IsType<FeedParseResult.Unreadable>(FeedParser.Parse(feed, null, FeedFixtures.Baku, maxLength: 10_000));
    }

    private static string Rss(string doctype, string title) =>
        $"""<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>Atlas</title><link>https://atlas.az/</link><item><title>{title}</title><link>https://atlas.az/a</link><guid>a</guid></item></channel></rss>""";
}
