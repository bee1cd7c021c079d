using System.Net;
using System.Net.Sockets;
using Atlas.Bot.Feeds;

namespace Atlas.Bot.Tests.Feeds;

/// <summary>The reasons the fetcher and the parser give, as they give them, and the metric label each becomes.</summary>
public sealed class FailureCategoryTests
{
    public static TheoryData<string, string> Reasons => new()
    {
        { FetchFailures.Status(new HttpResponseMessage(HttpStatusCode.NotFound) { ReasonPhrase = "Not Found" }).Reason, "http_4xx" },
        { FetchFailures.Status(new HttpResponseMessage(HttpStatusCode.Forbidden)).Reason, "http_4xx" },
        { FetchFailures.Status(new HttpResponseMessage(HttpStatusCode.InternalServerError) { ReasonPhrase = "Internal Server Error" }).Reason, "http_5xx" },
        { FetchFailures.Status(new HttpResponseMessage(HttpStatusCode.BadGateway)).Reason, "http_5xx" },
        { FetchFailures.Status(Redirect("http://atlas.az/feed/")).Reason, "other" },
        { FetchFailures.TimedOut(TimeSpan.FromSeconds(30)).Reason, "timeout" },
        { FetchFailures.Network(new HttpRequestException(HttpRequestError.ConnectionError, "x", new SocketException((int)SocketError.TimedOut))).Reason, "timeout" },
        { FetchFailures.TooLarge(10 * 1024 * 1024).Reason, "too_large" },
        { FetchFailures.Network(new HttpRequestException(HttpRequestError.NameResolutionError)).Reason, "network" },
        { FetchFailures.Network(new HttpRequestException(HttpRequestError.ConnectionError, "x", new SocketException((int)SocketError.ConnectionRefused))).Reason, "network" },
        { FetchFailures.Network(new HttpRequestException(HttpRequestError.SecureConnectionError)).Reason, "network" },
        { FetchFailures.Network(new HttpRequestException(HttpRequestError.HttpProtocolError)).Reason, "network" },
        { FetchFailures.Network(new HttpRequestException(HttpRequestError.VersionNegotiationError)).Reason, "network" },
        { FetchFailures.Network(new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded)).Reason, "network" },
        { FetchFailures.Network(new HttpRequestException(HttpRequestError.UserAuthenticationError)).Reason, "network" },
        { FetchFailures.Network(new HttpRequestException(HttpRequestError.Unknown)).Reason, "network" },
        { FetchFailures.Network(new IOException("reset")).Reason, "network" },
        { Unreadable(""), "not_a_feed" },
        { Unreadable("<!DOCTYPE html><html><body>Maintenance</body></html>"), "not_a_feed" },
        { Unreadable("<rss version=\"2.0\"><channel><title>A</title><item><title>B</title></channel>"), "not_a_feed" },
        { Unreadable("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "not_a_feed" },
        { Unreadable("{ \"version\": \"https://jsonfeed.org/version/1.1\", \"title\": "), "not_a_feed" },
        { Unreadable("{ \"title\": \"no items\" }"), "not_a_feed" },
        { FetchFailures.FileNotFound("/data/feeds/en.xml").Reason, "other" },
        { FetchFailures.UnsupportedAddress("ftp://atlas.az/feed").Reason, "other" },
        { FetchFailures.Undecompressable().Reason, "other" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void A_failed_polls_reason_becomes_a_bounded_category(string reason, string category) =>
        Assert.Equal(category, FailureCategory.Of(reason));

    private static string Unreadable(string document) =>
        Assert.IsType<FeedParseResult.Unreadable>(FeedParser.Parse(document, null, TimeZoneInfo.Utc)).Reason;

    private static HttpResponseMessage Redirect(string location)
    {
        var response = new HttpResponseMessage(HttpStatusCode.MovedPermanently);
        response.Headers.Location = new Uri(location);
        return response;
    }
}
