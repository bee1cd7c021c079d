using Atlas.Bot.Feeds;
using BenchmarkDotNet.Attributes;

namespace Atlas.Bot.Benchmarks;

/// <summary>One poll's reading of a changed feed: the shipped az sample (7 KB, 5 items) decoded and parsed.</summary>
[MemoryDiagnoser]
public class FeedParsingBenchmarks
{
    private static readonly Uri FeedUri = new("https://atlas.az/az/feed/");

    private byte[] _body = [];
    private string _text = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _body = SampleFeeds.Bytes("az");
        _text = FeedDecoder.Decode(_body, "utf-8");
    }

    [Benchmark]
    public string Decode() => FeedDecoder.Decode(_body, "utf-8");

    [Benchmark]
    public FeedParseResult Parse() => FeedParser.Parse(_text, FeedUri, SampleFeeds.Baku);

    [Benchmark]
    public FeedParseResult DecodeAndParse() => FeedParser.Parse(FeedDecoder.Decode(_body, "utf-8"), FeedUri, SampleFeeds.Baku);
}
