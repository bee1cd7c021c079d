using System.Text;
using Atlas.Bot.Feeds.WebSub;

namespace Atlas.Bot.Tests.Feeds.WebSub;

public sealed class HubSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("<rss><channel><item><title>Analysis</title></item></channel></rss>");

    [Theory]
    [InlineData("sha1")]
    [InlineData("sha256")]
    [InlineData("sha384")]
    [InlineData("sha512")]
    public void A_push_signed_with_the_secret_by_any_of_the_four_methods_is_valid(string method) =>
        Assert.True(HubSignature.Verify(HubSignature.Sign(method, Body, "s3cret"), Body, "s3cret"));

    [Fact]
    public void The_method_and_hex_digits_are_read_in_either_case() =>
        Assert.True(HubSignature.Verify(HubSignature.Sign("sha256", Body, "s3cret").ToUpperInvariant(), Body, "s3cret"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256")]
    [InlineData("=abcd")]
    [InlineData("md5=0123456789abcdef0123456789abcdef")]
    [InlineData("sha256=not-hex")]
    [InlineData("sha256=abcd")]
    public void A_missing_or_malformed_signature_is_not_valid(string? header) =>
        Assert.False(HubSignature.Verify(header, Body, "s3cret"));

    [Fact]
    public void Another_secret_or_another_body_is_not_valid()
    {
        var header = HubSignature.Sign("sha256", Body, "s3cret");

        Assert.False(HubSignature.Verify(header, Body, "other"));
        Assert.False(HubSignature.Verify(header, [.. Body, (byte)' '], "s3cret"));
    }
}
