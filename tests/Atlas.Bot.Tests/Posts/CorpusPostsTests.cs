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
    // The ratchet: posts made from the corpus when measured (408 items in the feeds that parse, in three languages).
    // Fewer means items or whole feeds stopped reading; raise it when the corpus or the parser gives more.
    private const int PostsMeasured = 1224;

    [Fact]
    public void Every_one_of_the_1224_posts_made_from_the_corpus_passes_Telegrams_HTML_rules()
    {
        var corpus = FeedCorpus.Open();

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
        failures.ForEach(output.WriteLine);
        Assert.True(posts >= PostsMeasured, $"only {posts} posts were made from the corpus, fewer than the {PostsMeasured} made before");
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {posts} posts would be refused:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(50))}"
            + (failures.Count > 50 ? $"{Environment.NewLine}… and {failures.Count - 50} more (all in the test output)" : ""));
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
