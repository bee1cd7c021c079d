using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using BenchmarkDotNet.Attributes;

namespace Atlas.Bot.Benchmarks;

/// <summary>
/// One post per new item: the summary (or, without one, the content) converted and fitted to the text limit (4096)
/// and, since the samples have images, to the caption limit (1024) as well.
/// </summary>
[MemoryDiagnoser]
public class PostFormatterBenchmarks
{
    private FeedItem _item = null!;

    [Params("az", "ru")]
    public string Language { get; set; } = "az";

    [Params(PostBody.Sample, PostBody.Article)]
    public PostBody Body { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var feed = SampleFeeds.Parse(Language);
        var first = feed.Items[0];
        _item = Body == PostBody.Article
            ? first with { SummaryHtml = null, ContentHtml = WordPressArticle.Build(feed, 20_000) }
            : first;
    }

    [Benchmark]
    public Post Format() => PostFormatter.Format(_item, Language, SampleFeeds.Baku);
}

public enum PostBody
{
    /// <summary>The feed's own summary, a few hundred characters.</summary>
    Sample,

    /// <summary>No summary and a 20 KB article as content: the post is cut to 4096 and the caption to 1024.</summary>
    Article,
}
