using System.Text;
using Atlas.Bot.Feeds;
using Xunit;

namespace Atlas.Bot.Tests.Feeds;

public sealed class FeedDecoderTests
{
    private const string RussianTitle = "Южный Кавказ: новая архитектура безопасности";

    [Theory]
    [InlineData("wordpress-ru-windows-1251.xml", null)]
    [InlineData("wordpress-ru-windows-1251.xml", "windows-1251")]
    [InlineData("wordpress-ru-utf8-declared-windows-1251.xml", null)]
    [InlineData("wordpress-ru-utf8-declared-windows-1251.xml", "windows-1251")]
    [InlineData("wordpress-ru-koi8-r-undeclared.xml", "koi8-r")]
    [InlineData("wordpress-ru-koi8-r-undeclared.xml", null)]
    public void Russian_text_arrives_intact_whatever_the_labels_say(string fixture, string? httpCharset)
    {
        var text = FeedDecoder.Decode(FeedFixtures.Bytes(fixture), httpCharset);

        Assert.Contains(RussianTitle, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("utf-8")]
    [InlineData("windows-1251")]
    [InlineData("iso-8859-1")]
    [InlineData("no-such-charset")]
    public void Azerbaijani_letters_survive_any_http_charset(string? httpCharset)
    {
        var text = FeedDecoder.Decode(FeedFixtures.Bytes("wordpress-az.xml"), httpCharset);

        Assert.Contains("Gözləntilər: şəffaflıq, ğ, ı, ö, ü, ç.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf8_body_labelled_windows_1251_is_read_as_utf8()
    {
        var decoded = FeedDecoder.DecodeWithName(FeedFixtures.Bytes("wordpress-ru-utf8-declared-windows-1251.xml"), "windows-1251");

        Assert.Equal("utf-8", decoded.EncodingName);
    }

    [Fact]
    public void A_genuine_windows_1251_body_is_read_as_windows_1251()
    {
        var decoded = FeedDecoder.DecodeWithName(FeedFixtures.Bytes("wordpress-ru-windows-1251.xml"), httpCharset: null);

        Assert.Equal("windows-1251", decoded.EncodingName);
    }

    [Fact]
    public void The_http_charset_wins_over_the_xml_declaration()
    {
        var body = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>Caf\u00e9</title></channel></rss>");

        Assert.Contains("Café", FeedDecoder.Decode(body, "iso-8859-1"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    [InlineData("utf-8")]
    public void A_byte_order_mark_decides_before_any_label(string encodingName)
    {
        var encoding = Encoding.GetEncoding(encodingName);
        var body = encoding.GetPreamble().Concat(encoding.GetBytes("<rss><channel><title>Şəki</title></channel></rss>")).ToArray();

        var text = FeedDecoder.Decode(body, "windows-1251");

        Assert.Equal("<rss><channel><title>Şəki</title></channel></rss>", text);
    }
}
