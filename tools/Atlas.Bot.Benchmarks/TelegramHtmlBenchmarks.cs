using Atlas.Bot.Posts;
using BenchmarkDotNet.Attributes;

namespace Atlas.Bot.Benchmarks;

/// <summary>Feed HTML to Telegram HTML (AngleSharp parse and walk) for article bodies of 1, 10 and 100 KB.</summary>
[MemoryDiagnoser]
public class TelegramHtmlBenchmarks
{
    private string _html = string.Empty;

    [Params(1, 10, 100)]
    public int Kilobytes { get; set; }

    [GlobalSetup]
    public void Setup() => _html = WordPressArticle.Build(SampleFeeds.Parse("az"), Kilobytes * 1000);

    [Benchmark]
    public string FromHtml() => TelegramHtml.FromHtml(_html);
}
