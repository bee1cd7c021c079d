using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Tests.Feeds;
using Atlas.Bot.Tests.Feeds.Corpus;
using Atlas.Bot.Tests.Telegram.Fake;
using Xunit.Abstractions;

namespace Atlas.Bot.Tests.Posts;

/// <summary>Every post the formatter makes from every corpus feed, in every language, is one Telegram accepts.</summary>
public sealed class CorpusPostsTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_post_made_from_every_corpus_feed_passes_Telegrams_HTML_rules()
    {
        var corpus = FeedCorpus.Locate();
        if (corpus is null)
        {
            output.WriteLine("../shared/feed-corpus is absent: nothing to check.");
            return;
        }

        var posts = 0;
        var failures = new List<string>();
        foreach (var feedCase in corpus.Cases())
        {
            if (corpus.Parse(feedCase) is not FeedParseResult.Parsed parsed)
            {
                continue;
            }

            foreach (var item in parsed.Feed.Items)
            {
                foreach (var language in new[] { "az", "en", "ru" })
                {
                    var post = PostFormatter.Format(item, language, FeedFixtures.Baku);
                    posts++;
                    Check(failures, feedCase.File, "text", post.TextHtml, minimum: 1, maximum: PostFormatter.TextLimit);
                    if (post.CaptionHtml is not null)
                    {
                        Check(failures, feedCase.File, "caption", post.CaptionHtml, minimum: 0, maximum: PostFormatter.CaptionLimit);
                    }
                }
            }
        }

        output.WriteLine($"{posts} posts checked, {failures.Count} rejected");
        Assert.True(posts > 300, $"only {posts} posts were made from the corpus");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
    }

    private static void Check(List<string> failures, string file, string part, string html, int minimum, int maximum)
    {
        var (ok, error, length) = TelegramHtmlRules.Check(html);
        if (!ok)
        {
            failures.Add($"{file} {part}: {error}");
        }
        else if (length < minimum || length > maximum)
        {
            failures.Add($"{file} {part}: {length} characters, outside {minimum}-{maximum}");
        }
    }
}
