using System.Security;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Tests.Feeds;
using Xunit;

namespace Atlas.Bot.Tests.Posts;

/// <summary>
/// A WordPress item read, posted, then read again after the site changed it: only what a reader would see differently
/// is a change. Every case goes through the real parser and formatter, as the poller would.
/// </summary>
public sealed class PostChangesTests
{
    private static readonly Uri FeedUrl = new("https://atlas.az/az/feed/");

    /// <summary>An analysis as WordPress first published it: a summary with a link, a picture in the full text.</summary>
    private static readonly Entry Analysis = new(
        Title: "Cənubi Qafqazda sülh gündəliyi: Bakı ilə İrəvan arasında növbəti mərhələ",
        Link: "https://atlas.az/az/analiz/c%c9%99nubi-qafqazda-s%c3%bclh-g%c3%bcnd%c9%99liyi/",
        PubDate: "Tue, 17 Nov 2026 09:00:00 +0000",
        Creator: "<![CDATA[Elçin Məmmədov]]>",
        Categories: "<category><![CDATA[Təhlil]]></category>",
        Description: """
            <![CDATA[<p>Sülh sazişinin mətni <a href="https://atlas.az/az/hesabatlar/sulh-2026/" target="_blank" rel="noopener">razılaşdırılıb</a>,&nbsp;lakin imzalanma tarixi hələ də açıq qalır.</p>
            <p>Növbəti raund <strong>dekabrda</strong> gözlənilir.</p>]]>
            """,
        Content: """
            <![CDATA[<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="576" src="https://atlas.az/wp-content/uploads/2026/11/sulh-gundeliyi.jpg" alt="" class="wp-image-124" /></figure>
            <p>Tam mətn: sülh sazişi, sərhədlərin delimitasiyası, kommunikasiyalar.</p>]]>
            """);

    private static readonly Entry Unillustrated = Analysis with
    {
        Content = "<![CDATA[<p>Tam mətn: sülh sazişi, sərhədlərin delimitasiyası, kommunikasiyalar.</p>]]>",
    };

    /// <summary>A summary longer than a text message can show (about 6,000 characters), with a picture.</summary>
    private static readonly Entry LongRead = Analysis with { Description = Paragraphs(60) };

    private static readonly Entry InCode = Analysis with
    {
        Description = "<![CDATA[<p>Hesablama:</p><pre>ixrac = hasilat - daxili\n  istehlak</pre>]]>",
    };

    public static TheoryData<string, Entry, Entry, PostChange> Edits => new()
    {
        { "a typo in the title is fixed", Analysis with { Title = Analysis.Title.Replace("mərhələ", "mərhəle", StringComparison.Ordinal) }, Analysis, PostChange.Text | PostChange.Caption },
        { "the summary is edited", Analysis, Analysis with { Description = Analysis.Description.Replace("dekabrda", "yanvarda", StringComparison.Ordinal) }, PostChange.Text | PostChange.Caption },
        { "the author's name is corrected", Analysis with { Creator = "<![CDATA[Elcin Memmedov]]>" }, Analysis, PostChange.Text | PostChange.Caption },
        { "a link in the summary leads elsewhere", Analysis, Analysis with { Description = Analysis.Description.Replace("sulh-2026", "sulh-2027", StringComparison.Ordinal) }, PostChange.Text | PostChange.Caption },
        { "the picture is replaced", Analysis, Analysis with { Content = Analysis.Content.Replace("sulh-gundeliyi.jpg", "sulh-gundeliyi-2.jpg", StringComparison.Ordinal) }, PostChange.Photo },
        { "a picture is added", Unillustrated, Analysis, PostChange.Photo | PostChange.PhotoGained | PostChange.Caption },
        { "the picture is removed", Analysis, Unillustrated, PostChange.Photo | PostChange.PhotoLost | PostChange.Caption },
        { "the article moves to another address", Analysis, Analysis with { Link = "https://atlas.az/az/analiz/sulh-gundeliyi-2026/" }, PostChange.Link },
        {
            "only whitespace changes, in the title, the author and the summary's HTML",
            Analysis,
            Analysis with
            {
                Title = "\n\t\t  Cənubi Qafqazda  sülh gündəliyi:\n Bakı ilə İrəvan arasında növbəti mərhələ  ",
                Creator = "<![CDATA[ Elçin  Məmmədov ]]>",
                Description = Analysis.Description.Replace("</p>\n<p>", "</p>\n\n\t<p>  ", StringComparison.Ordinal).Replace("mətni <a", "mətni\n  <a", StringComparison.Ordinal),
            },
            PostChange.None
        },
        {
            "only utm_source and utm_medium are added, to the link, to a link in the summary and to the picture",
            Analysis,
            Analysis with
            {
                Link = Analysis.Link + "?utm_source=rss&amp;utm_medium=rss",
                Description = Analysis.Description.Replace("sulh-2026/", "sulh-2026/?utm_source=rss&amp;utm_medium=feed", StringComparison.Ordinal),
                Content = Analysis.Content.Replace(".jpg", ".jpg?utm_source=rss", StringComparison.Ordinal),
            },
            PostChange.None
        },
        { "only the pubDate moves, within the day", Analysis, Analysis with { PubDate = "Tue, 17 Nov 2026 11:45:00 +0000" }, PostChange.None },
        { "only the pubDate moves, to another day", Analysis, Analysis with { PubDate = "Thu, 19 Nov 2026 08:00:00 +0000" }, PostChange.None },
        {
            "only the updated date moves, in a feed that gives no pubDate",
            Analysis with { PubDate = null, Extra = "<atom:updated>2026-11-17T09:00:00Z</atom:updated>" },
            Analysis with { PubDate = null, Extra = "<atom:updated>2026-11-20T16:30:00Z</atom:updated>" },
            PostChange.None
        },
        {
            "only the order of attributes changes in the summary's link and the picture",
            Analysis,
            Analysis with
            {
                Description = Analysis.Description.Replace("""<a href="https://atlas.az/az/hesabatlar/sulh-2026/" target="_blank" rel="noopener">""", """<a rel='noopener' target="_blank" href="https://atlas.az/az/hesabatlar/sulh-2026/">""", StringComparison.Ordinal),
                Content = Analysis.Content.Replace("""<img decoding="async" width="1024" height="576" src="https://atlas.az/wp-content/uploads/2026/11/sulh-gundeliyi.jpg" alt="" class="wp-image-124" />""", """<img class="wp-image-124" alt="" src="https://atlas.az/wp-content/uploads/2026/11/sulh-gundeliyi.jpg" height="576" width="1024" decoding="async">""", StringComparison.Ordinal),
            },
            PostChange.None
        },
        { "the same summary escaped instead of in CDATA", Analysis, Analysis with { Description = SecurityElement.Escape(Analysis.Description["<![CDATA[".Length..^"]]>".Length]) }, PostChange.None },
        { "only the categories change", Analysis, Analysis with { Categories = "<category><![CDATA[Təhlil]]></category><category><![CDATA[Cənubi Qafqaz]]></category>" }, PostChange.None },
        { "only the full text changes, which the post does not show beside the summary", Analysis, Analysis with { Content = Analysis.Content.Replace("kommunikasiyalar", "nəqliyyat", StringComparison.Ordinal) }, PostChange.None },
        { "the summary changes beyond what a text message can show", LongRead, LongRead with { Description = Paragraphs(60, lastWord: "sonra") }, PostChange.None },
        { "the summary changes beyond the caption but within the text", LongRead, LongRead with { Description = Paragraphs(60, changedParagraph: 20) }, PostChange.Text },
        { "spaces at the end of a preformatted line", InCode, InCode with { Description = InCode.Description.Replace("daxili\n", "daxili   \n", StringComparison.Ordinal) }, PostChange.None },
        { "indentation inside preformatted text, which a reader sees", InCode, InCode with { Description = InCode.Description.Replace("\n  istehlak", "\n    istehlak", StringComparison.Ordinal) }, PostChange.Text | PostChange.Caption },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void A_post_changes_only_when_what_a_reader_sees_changes(string edit, Entry first, Entry now, PostChange expected)
    {
        var posted = Read(first);
        var sent = PostFormatter.Format(posted, "az", FeedFixtures.Baku);

        var again = PostFormatter.FormatRevision(Read(now), posted.Published, "az", FeedFixtures.Baku);

        Assert.True(expected == PostChanges.Between(sent, again), $"{edit}: expected {expected}, got {PostChanges.Between(sent, again)}");
    }

    [Fact]
    public void A_moved_date_would_change_the_byline_without_the_first_date()
    {
        var first = Read(Analysis);
        var moved = Read(Analysis with { PubDate = "Thu, 19 Nov 2026 08:00:00 +0000" });

        var change = PostChanges.Between(PostFormatter.Format(first, "az", FeedFixtures.Baku), PostFormatter.Format(moved, "az", FeedFixtures.Baku));

        Assert.Equal(PostChange.Text | PostChange.Caption, change);
    }

    [Fact]
    public void Rendering_again_with_the_items_own_date_makes_the_first_post()
    {
        var item = Read(Analysis);

        Assert.Equal(PostFormatter.Format(item, "ru", FeedFixtures.Baku), PostFormatter.FormatRevision(item, item.Published, "ru", FeedFixtures.Baku));
    }

    [Fact]
    public void A_post_compared_with_itself_has_not_changed()
    {
        var post = PostFormatter.Format(Read(Analysis), "en", FeedFixtures.Baku);

        Assert.Equal(PostChange.None, PostChanges.Between(post, post with { }));
    }

    public static TheoryData<string, string, PostChange> TextPosts => new()
    {
        { "<b>Title</b>\n\nText", "<b>Title</b>\n\nText\n ", PostChange.None },
        { "<b>Title</b>\n\n<a href=\"https://atlas.az/a?id=1&amp;utm_source=tg\">a</a>", "<b>Title</b>\n\n<a href=\"https://atlas.az/a?id=1\">a</a>", PostChange.None },
        { "<b>Title</b>\n\n<a href=\"https://atlas.az/a?a=1&amp;b=2\">a</a>", "<b>Title</b>\n\n<a href=\"https://atlas.az/a?b=2&amp;a=1\">a</a>", PostChange.Text },
        { "<b>Title</b>\n\nText", "<b>Title</b>\nText", PostChange.Text },
        { "<b>Title</b> and text", "<b>Title</b><b> and text</b>", PostChange.Text },
        { "Tom &amp; Jerry &lt;3", "Tom &#38; Jerry &#x3C;3", PostChange.None },
    };

    [Theory]
    [MemberData(nameof(TextPosts))]
    public void Text_posts_compare_by_what_Telegram_shows(string first, string now, PostChange expected)
    {
        Assert.Equal(expected, PostChanges.Between(Post.Text(first), Post.Text(now)));
    }

    [Fact]
    public void Buttons_compare_by_label_callback_and_address_without_utm()
    {
        IReadOnlyList<IReadOnlyList<InlineButton>> Keyboard(string url, string callback) =>
            [[new InlineButton("Read", Url: url)], [new InlineButton("More", CallbackData: callback)]];

        var first = Post.Text("Hi", Keyboard("https://atlas.az/a", "more:1"));

        Assert.Equal(PostChange.None, PostChanges.Between(first, Post.Text("Hi", Keyboard("https://atlas.az/a?utm_campaign=x", "more:1"))));
        Assert.Equal(PostChange.Link, PostChanges.Between(first, Post.Text("Hi", Keyboard("https://atlas.az/b", "more:1"))));
        Assert.Equal(PostChange.Link, PostChanges.Between(first, Post.Text("Hi", Keyboard("https://atlas.az/a", "more:2"))));
        Assert.Equal(PostChange.Link, PostChanges.Between(first, Post.Text("Hi")));
    }

    private static FeedItem Read(Entry entry)
    {
        var parsed = Assert.IsType<FeedParseResult.Parsed>(FeedParser.Parse(Rss(entry), FeedUrl, FeedFixtures.Baku));
        return Assert.Single(parsed.Feed.Items);
    }

    private static string Rss(Entry entry) => $"""
        <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
        	xmlns:content="http://purl.org/rss/1.0/modules/content/"
        	xmlns:dc="http://purl.org/dc/elements/1.1/"
        	xmlns:atom="http://www.w3.org/2005/Atom"
        	>
        <channel>
        	<title>Atlas Araşdırmalar Mərkəzi</title>
        	<link>https://atlas.az/az</link>
        	<description>Siyasi təhlillər və proqnozlar</description>
        	<item>
        		<title>{entry.Title}</title>
        		<link>{entry.Link}</link>
        		<dc:creator>{entry.Creator}</dc:creator>
        		{(entry.PubDate is null ? "" : $"<pubDate>{entry.PubDate}</pubDate>")}
        		{entry.Categories}
        		<guid isPermaLink="false">https://atlas.az/?p=123</guid>
        		<description>{entry.Description}</description>
        		<content:encoded>{entry.Content}</content:encoded>
        		{entry.Extra}
        	</item>
        </channel>
        </rss>
        """;

    /// <summary>A summary of numbered paragraphs, about 100 characters each; one of them or its last word may differ.</summary>
    private static string Paragraphs(int count, int changedParagraph = -1, string lastWord = "bitdi") =>
        "<![CDATA["
        + string.Concat(Enumerable.Range(1, count).Select(number =>
            $"<p>Abzas {number}: {(number == changedParagraph ? "dəyişdirilmiş" : "Xəzər")} hövzəsində enerji dəhlizləri və Avropanın şaxələndirmə siyasəti.</p>"))
        + $"<p>Son: {lastWord}.</p>]]>";

    /// <summary>An RSS item's fields as raw XML, so a case can vary how the feed writes them as well as what they say.</summary>
    public sealed record Entry(
        string Title,
        string Link,
        string? PubDate,
        string Creator,
        string Categories,
        string Description,
        string Content,
        string Extra = "")
    {
        // The case's name says what differs; the whole item would only bury it in the test's display name.
        public override string ToString() => "an RSS item";
    }
}
