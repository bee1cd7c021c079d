using Atlas.Bot.Feeds;

namespace Atlas.Bot.Tests.Feeds;

/// <summary>The hand-written feeds under Fixtures/feeds, read through the same path as the service.</summary>
internal static class FeedFixtures
{
    public static readonly TimeZoneInfo Baku = TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku");

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "feeds", name));

    public static ParsedFeed Parsed(string name, string? httpCharset = null, string feedUrl = "https://atlas.az/feed/")
    {
        var result = Read(name, httpCharset, feedUrl);
        return result is FeedParseResult.Parsed parsed
            ? parsed.Feed
            : throw new InvalidOperationException($"{name} did not parse: {result}");
    }

    public static FeedParseResult Read(string name, string? httpCharset = null, string feedUrl = "https://atlas.az/feed/") =>
        FeedParser.Parse(FeedDecoder.Decode(Bytes(name), httpCharset), new Uri(feedUrl), Baku);
}
