using Atlas.Bot.Posts;
using Xunit;

namespace Atlas.Bot.Tests.Posts;

public sealed class TelegramHtmlTests
{
    public static TheoryData<string, string, string> Conversions => new()
    {
        {
            "Entities_Telegram_does_not_know_become_characters",
            "<p>Hello&nbsp;world &hellip; &mdash; &laquo;quoted&raquo; &#8220;curly&#8221; &copy;</p>",
            "Hello world … — «quoted» “curly” ©"
        },
        { "Paragraphs_are_separated_by_one_blank_line", "<p>First</p>\n\n<p>Second</p><p></p><p>&nbsp;</p><p>Third</p>", "First\n\nSecond\n\nThird" },
        { "Line_breaks_stack_up_to_one_blank_line", "One<br>Two<br/><br/><br/><br>Three", "One\nTwo\n\nThree" },
        { "Divs_become_lines", "<div>One</div><div><div>Two</div></div>", "One\nTwo" },
        {
            "Formatting_maps_to_Telegram_tags",
            "<strong>b</strong> <em>i</em> <ins>u</ins> <del>d</del> <strike>k</strike> <b>B</b> <i>I</i> <u>U</u> <s>S</s>",
            "<b>b</b> <i>i</i> <u>u</u> <s>d</s> <s>k</s> <b>B</b> <i>I</i> <u>U</u> <s>S</s>"
        },
        { "Headings_become_bold_lines", "<h2>Heading</h2><p>Text</p><h3>Next</h3>", "<b>Heading</b>\n\nText\n\n<b>Next</b>" },
        {
            "Nested_lists_become_indented_bullet_lines",
            "<p>Intro</p><ul><li>One</li><li>Two<ul><li>Nested <b>bold</b></li></ul></li><li><p>Para</p></li></ul><p>After</p>",
            "Intro\n\n• One\n• Two\n  • Nested <b>bold</b>\n• Para\n\nAfter"
        },
        { "Ordered_lists_are_numbered", "<ol start=\"3\"><li>Third</li><li>Fourth</li></ol>", "3. Third\n4. Fourth" },
        {
            "Scripts_styles_and_iframes_vanish_with_their_content",
            "<p>Before</p><script>alert('<b>x</b>')</script><style>p { color: red }</style><iframe src=\"https://x.example\">frame</iframe><noscript>no</noscript><p>After</p>",
            "Before\n\nAfter"
        },
        {
            "Images_are_dropped_and_captions_kept",
            "<figure class=\"wp-block-image\"><img src=\"https://x.example/a.jpg\" alt=\"pic\"/><figcaption>Caption</figcaption></figure><p>Text</p>",
            "Caption\n\nText"
        },
        { "Unclosed_tags_are_closed", "<p>Unclosed <b>bold <i>both", "Unclosed <b>bold <i>both</i></b>" },
        { "Crossing_tags_are_nested_properly", "<b><i>x</b></i> y", "<b><i>x</i></b> y" },
        { "A_bare_ampersand_is_escaped", "Tom & Jerry &amp; Co", "Tom &amp; Jerry &amp; Co" },
        { "Angle_brackets_in_text_are_escaped", "1 &lt; 2 and 3 > 2, a < b", "1 &lt; 2 and 3 &gt; 2, a &lt; b" },
        { "Quotes_in_text_are_escaped", "He said \"no\"", "He said &quot;no&quot;" },
        { "Double_escaped_entities_stay_visible", "&amp;amp; &amp;lt;", "&amp;amp; &amp;lt;" },
        {
            "Link_attributes_are_escaped",
            "<a href='https://example.com/?q=\"x\"&amp;page=2' title=\"t\" target=\"_blank\">link</a>",
            "<a href=\"https://example.com/?q=&quot;x&quot;&amp;page=2\">link</a>"
        },
        {
            "Only_http_https_tg_and_mailto_links_are_kept",
            "<a href=\"https://a.example\">https</a> <a href=\"http://b.example\">http</a> <a href=\"tg://resolve?domain=atlas\">tg</a> <a href=\"mailto:info@atlas.example\">mail</a> <a href=\"javascript:alert(1)\">js</a> <a href=\"/relative\">rel</a> <a name=\"anchor\">anchor</a>",
            "<a href=\"https://a.example\">https</a> <a href=\"http://b.example\">http</a> <a href=\"tg://resolve?domain=atlas\">tg</a> <a href=\"mailto:info@atlas.example\">mail</a> js rel anchor"
        },
        { "Empty_tags_are_dropped", "<p><b></b><i> </i>Text<a href=\"https://x.example\"><img src=\"https://x.example/i.png\"></a><strong>&nbsp;</strong></p>", "Text" },
        { "Whitespace_stays_outside_tags", "a<b> bold </b>b", "a <b>bold</b> b" },
        { "Comments_and_CDATA_leftovers_vanish", "<!-- comment --><p>Visible</p><![CDATA[ <p>Inside</p> ]]>", "Visible\n\nInside" },
        { "Whitespace_collapses_like_a_browser", "<p>  lots   of\n\t whitespace\r\n </p>  <p> here </p>", "lots of whitespace\n\nhere" },
        {
            "Preformatted_text_keeps_its_whitespace_but_no_tags",
            "<p>See:</p><pre>  keep\n    indent &amp; <b>no tags</b><br>end</pre>",
            "See:\n\n<pre>  keep\n    indent &amp; no tags\nend</pre>"
        },
        { "Code_contains_no_other_tags", "<code>a<b>b</b> <i>c</i></code>", "<code>ab c</code>" },
        { "Links_contain_no_code", "<a href=\"https://x.example\"><code>code</code> text</a>", "<a href=\"https://x.example\">code text</a>" },
        { "Links_are_not_nested", "<a href=\"https://x.example\">outer <span><a href=\"https://y.example\">inner</a></span></a>", "<a href=\"https://x.example\">outer</a> <a href=\"https://y.example\">inner</a>" },
        { "Blockquotes_keep_their_paragraphs", "<blockquote><p>One</p><blockquote><p>Two</p></blockquote></blockquote>", "<blockquote>One\n\nTwo</blockquote>" },
        { "Same_tags_are_not_nested", "<b>outer <strong>inner</strong></b>", "<b>outer inner</b>" },
        { "Tables_become_lines_with_separated_cells", "<table><tr><th>Year</th><th>GDP</th></tr><tr><td>2025</td><td>3%</td></tr></table>", "<b>Year</b> | <b>GDP</b>\n2025 | 3%" },
        { "Spans_and_unknown_tags_keep_their_text", "<p>Text <span style=\"color:red\">span</span> <font>font</font> <mark>mark</mark></p>", "Text span font mark" },
        { "Azerbaijani_text_is_intact", "<p>Azərbaycan iqtisadiyyatı: şəffaflıq, ölçü və İnkişaf — ĞğÇçŞşÖöÜüİıƏə</p>", "Azərbaycan iqtisadiyyatı: şəffaflıq, ölçü və İnkişaf — ĞğÇçŞşÖöÜüİıƏə" },
        { "Russian_text_is_intact", "<p>Экономика Азербайджана&nbsp;— &laquo;рост&raquo; ёЁйЙ</p>", "Экономика Азербайджана — «рост» ёЁйЙ" },
        { "Emoji_are_intact", "<p>Flags 🇦🇿 and family 👨‍👩‍👧 and 😀</p>", "Flags 🇦🇿 and family 👨‍👩‍👧 and 😀" },
        { "Nothing_gives_nothing", "   <p> </p> <script>x</script> ", "" },
    };

    [Theory]
    [MemberData(nameof(Conversions))]
    public void Feed_html_becomes_Telegram_html(string because, string html, string expected)
    {
        var converted = TelegramHtml.FromHtml(html);

        Assert.True(expected == converted, $"{because}: expected «{expected}» but got «{converted}»");
        TelegramHtmlAssert.Valid(converted);
    }

    [Fact]
    public void A_WordPress_post_becomes_valid_Telegram_html()
    {
        var converted = TelegramHtml.FromHtml(Samples.WordPressPost);

        var text = TelegramHtmlAssert.Valid(converted);
        Assert.StartsWith("Cənubi Qafqazda enerji dəhlizləri", text, StringComparison.Ordinal);
        Assert.Contains("<b>Əsas nəticələr</b>", converted, StringComparison.Ordinal);
        Assert.Contains("• Neft hasilatı — 30 mln ton", text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://atlas.example/az/hesabat?id=12&amp;lang=az\">hesabatda</a>", converted, StringComparison.Ordinal);
        Assert.DoesNotContain("tracker", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurdly_deep_nesting_keeps_its_text()
    {
        var html = string.Concat(Enumerable.Repeat("<span><i>", 3000)) + "deep <b>text</b>";

        var converted = TelegramHtml.FromHtml(html);

        Assert.Equal("deep text", TelegramHtmlAssert.Valid(converted));
    }

    [Theory]
    [InlineData("<p>Hello <b>world</b> &amp; friends</p><p>Next&nbsp;line</p>", "Hello world & friends\n\nNext line")]
    [InlineData("<ul><li>One</li><li>Two</li></ul>", "• One\n• Two")]
    [InlineData("1 &lt; 2 <script>x</script>", "1 < 2")]
    [InlineData(null, "")]
    public void Plain_text_is_what_a_reader_sees(string? html, string expected) =>
        Assert.Equal(expected, TelegramHtml.ToPlainText(html));
}
