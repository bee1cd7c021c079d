using Atlas.Bot.Feeds;

namespace Atlas.Bot.Benchmarks;

/// <summary>The shipped sample feeds (config/samples), embedded in this assembly and parsed as the poller would.</summary>
internal static class SampleFeeds
{
    public static readonly TimeZoneInfo Baku = TimeZoneInfo.FindSystemTimeZoneById("Asia/Baku");

    public static byte[] Bytes(string language)
    {
        using var stream = typeof(SampleFeeds).Assembly.GetManifestResourceStream($"samples.{language}.xml")
            ?? throw new InvalidOperationException($"samples.{language}.xml is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static ParsedFeed Parse(string language)
    {
        var text = FeedDecoder.Decode(Bytes(language), "utf-8");
        return FeedParser.Parse(text, new Uri($"https://atlas.az/{language}/feed/"), Baku) switch
        {
            FeedParseResult.Parsed parsed => parsed.Feed,
            FeedParseResult.Unreadable unreadable => throw new InvalidOperationException($"sample {language}: {unreadable.Reason}"),
            _ => throw new InvalidOperationException($"sample {language}: unexpected result"),
        };
    }
}
