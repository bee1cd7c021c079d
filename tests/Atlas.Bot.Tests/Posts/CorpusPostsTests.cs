using System.Text.RegularExpressions;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Tests.Feeds;
using Atlas.Bot.Tests.Feeds.Corpus;
using Atlas.Bot.Tests.Telegram.Fake;
using Xunit.Abstractions;

namespace Atlas.Bot.Tests.Posts;

/// <summary>Every post the formatter makes from every corpus feed, in every language, is one Telegram accepts.</summary>
public sealed partial class CorpusPostsTests(ITestOutputHelper output)
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

    /// <remarks>
    /// Before HTML in untyped Atom content and twice-escaped markup were read as HTML, 13 of the 408 posts showed tags
    /// (AtomAdobe.xml's 10 and three gofeed cases) and 10 showed "&amp;amp;" (AtomAdobe.xml's).
    /// </remarks>
    [Fact]
    public void No_post_made_from_the_corpus_shows_html_tags_or_character_references_as_text()
    {
        var corpus = FeedCorpus.Open();

        var shown = new List<string>();
        foreach (var feedCase in corpus.Cases())
        {
            if (corpus.Parse(feedCase) is not FeedParseResult.Parsed parsed)
            {
                continue;
            }

            foreach (var item in parsed.Feed.Items)
            {
                var visible = TelegramHtmlAssert.Valid(PostFormatter.Format(item, "en", FeedFixtures.Baku).TextHtml);
                if (ShownTag().Match(visible) is { Success: true } tag)
                {
                    shown.Add($"{feedCase.File}: the tag {tag.Value}");
                }

                if (ShownReference().Match(visible) is { Success: true } reference)
                {
                    shown.Add($"{feedCase.File}: the reference {reference.Value}");
                }
            }
        }

        Assert.True(shown.Count == 0, $"posts show markup as text:\n{string.Join("\n", shown)}");
    }

    /// <summary>The first post of a corpus feed whose markup was escaped once more than its type says, as a reader sees it.</summary>
    [Theory]
    [InlineData("feedreader/AtomAdobe.xml", 10, "Adobe, Sky and Kick it Out #Takeastand with the launch of The Edit\n19 July 2021\n\nAdobe, Sky and Kick it Out #Takeastand with the launch of The Edit\n\nby Adobe Communications\n\nposted on 07-19-2021\n\nLiving in a digital-first world means it’s ever more critical")]
    [InlineData("gofeed/parser_rss_rss_channel_item_title_cdata_escaped_markup.xml", 1, "Item Title")]
    [InlineData("gofeed/parser_rss_rdf_item_title_cdata_escaped_markup.xml", 1, "Item Title")]
    [InlineData("gofeed/parser_rss_rss_channel_item_title_escaped_markup.xml", 1, "Item Title")]
    [InlineData("gofeed/parser_rss_rss_channel_item_title_cdata_naked_markup.xml", 1, "Item Title")]
    [InlineData("gofeed/parser_rss_rss_channel_item_description_cdata_escaped_markup.xml", 1, "New publication\n\nItem Description")]
    public void A_corpus_post_shows_the_text_of_markup_its_feed_escaped_once_too_often(string file, int items, string visibleStart)
    {
        var corpus = FeedCorpus.Open();
        var parsed = Assert.IsType<FeedParseResult.Parsed>(corpus.Parse(corpus.Cases().Single(c => c.File == file)));

        Assert.Equal(items, parsed.Feed.Items.Count);
        var visible = TelegramHtmlAssert.Valid(PostFormatter.Format(parsed.Feed.Items[0], "en", FeedFixtures.Baku).TextHtml);
        Assert.StartsWith(visibleStart, visible, StringComparison.Ordinal);
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

    [GeneratedRegex(@"</?(?:p|div|span|a|b|i|em|strong|h[1-6]|li|ul|ol|img|br|script|style|picture|source)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ShownTag();

    [GeneratedRegex("&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);", RegexOptions.CultureInvariant)]
    private static partial Regex ShownReference();
}
