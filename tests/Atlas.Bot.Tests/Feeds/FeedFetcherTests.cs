using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Atlas.Bot.Feeds;
using Atlas.Bot.Tests.Feeds.Fake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Atlas.Bot.Tests.Feeds;

public sealed class FeedFetcherTests : IAsyncLifetime
{
    private const string Feed = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Atlas</title></channel></rss>";
    private const int OneMegabyte = 1024 * 1024;

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly BodyBytesRead bodyRead = new();
    private readonly List<ServiceProvider> containers = [];
    private readonly DirectoryInfo files = Directory.CreateTempSubdirectory("atlas-fetch-");
    private FeedServer server = null!;

    public async Task InitializeAsync() => server = await FeedServer.StartAsync(clock);

    public async Task DisposeAsync()
    {
        foreach (var container in containers)
        {
            await container.DisposeAsync();
        }

        await server.DisposeAsync();
        files.Delete(recursive: true);
    }

    [Fact]
    public async Task A_fresh_document_comes_with_its_validators_charset_and_url()
    {
        server.Publish("/feed", Feed);

        var fresh = Assert.IsType<FetchResult.Fresh>(await Fetcher().FetchAsync(server.Url("/feed").AbsoluteUri, null, default));

        Assert.Equal(Feed, Encoding.UTF8.GetString(fresh.Body));
        Assert.Equal("utf-8", fresh.Charset);
        Assert.Equal(server.Url("/feed"), fresh.BaseUri);
        Assert.Equal(server.ETagOf("/feed"), fresh.ETag);
        Assert.Equal("Sat, 01 Mar 2025 08:00:00 GMT", fresh.LastModified);
    }

    [Fact]
    public async Task A_304_costs_no_body()
    {
        server.Publish("/feed", Feed);
        var fetcher = Fetcher();
        var first = Assert.IsType<FetchResult.Fresh>(await fetcher.FetchAsync(server.Url("/feed").AbsoluteUri, null, default));
        var readForTheFirst = bodyRead.Value;

        var second = await fetcher.FetchAsync(server.Url("/feed").AbsoluteUri, new FetchValidators(first.ETag, first.LastModified), default);

        Assert.IsType<FetchResult.NotModified>(second);
        Assert.Equal(1, server.NotModifiedCount("/feed"));
        Assert.Equal(readForTheFirst, bodyRead.Value);
    }

    [Theory]
    [InlineData("\"opaque-tag\"", null)]
    [InlineData("W/\"weak-tag\"", null)]
    [InlineData(null, "Sat, 01 Mar 2025 08:00:00 GMT")]
    [InlineData("\"opaque-tag\"", "Sat, 01 Mar 2025 08:00:00 GMT")]
    public async Task The_ETag_and_Last_Modified_are_sent_back_verbatim(string? etag, string? lastModified)
    {
        server.Publish("/feed", Feed);

        await Fetcher().FetchAsync(server.Url("/feed").AbsoluteUri, new FetchValidators(etag, lastModified), default);

        var seen = Assert.Single(server.Requests("/feed"));
        Assert.Equal(etag, seen.IfNoneMatch);
        Assert.Equal(lastModified, seen.IfModifiedSince);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Either_validator_alone_earns_a_304(bool sendETag, bool sendLastModified)
    {
        server.Publish("/feed", Feed);
        var fetcher = Fetcher();
        var first = Assert.IsType<FetchResult.Fresh>(await fetcher.FetchAsync(server.Url("/feed").AbsoluteUri, null, default));
        var previous = new FetchValidators(sendETag ? first.ETag : null, sendLastModified ? first.LastModified : null);

        Assert.IsType<FetchResult.NotModified>(await fetcher.FetchAsync(server.Url("/feed").AbsoluteUri, previous, default));
    }

    [Fact]
    public async Task A_changed_document_is_fetched_again_with_new_validators()
    {
        server.Publish("/feed", Feed);
        var fetcher = Fetcher();
        var first = Assert.IsType<FetchResult.Fresh>(await fetcher.FetchAsync(server.Url("/feed").AbsoluteUri, null, default));
        clock.Advance(TimeSpan.FromMinutes(10));
        server.Publish("/feed", Feed.Replace("Atlas", "Atlas 2", StringComparison.Ordinal));

        var second = await fetcher.FetchAsync(server.Url("/feed").AbsoluteUri, new FetchValidators(first.ETag, first.LastModified), default);

        var fresh = Assert.IsType<FetchResult.Fresh>(second);
        Assert.Contains("Atlas 2", Encoding.UTF8.GetString(fresh.Body), StringComparison.Ordinal);
        Assert.NotEqual(first.ETag, fresh.ETag);
        Assert.Equal("Sat, 01 Mar 2025 08:10:00 GMT", fresh.LastModified);
    }

    [Fact]
    public async Task Gzip_bodies_are_decompressed()
    {
        var body = Feed + new string(' ', 100_000);
        server.Publish("/feed", body);

        var fresh = Assert.IsType<FetchResult.Fresh>(await Fetcher().FetchAsync(server.Url("/feed").AbsoluteUri, null, default));

        Assert.True(Assert.Single(server.Answers("/feed")).Gzipped);
        Assert.Equal(body, Encoding.UTF8.GetString(fresh.Body));
    }

    [Fact]
    public async Task The_User_Agent_names_the_bot()
    {
        server.Publish("/feed", Feed);

        await Fetcher().FetchAsync(server.Url("/feed").AbsoluteUri, null, default);

        var userAgent = Assert.Single(server.Requests("/feed")).UserAgent;
        Assert.StartsWith("AtlasBot/", userAgent, StringComparison.Ordinal);
        Assert.EndsWith(" (+https://atlas.az; Telegram distribution bot)", userAgent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "HTTP 404 Not Found")]
    [InlineData(HttpStatusCode.Gone, "HTTP 410 Gone")]
    [InlineData(HttpStatusCode.InternalServerError, "HTTP 500 Internal Server Error")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "HTTP 503 Service Unavailable")]
    public async Task An_error_status_fails_with_the_status_and_no_body_read(HttpStatusCode status, string reason)
    {
        server.Respond("/feed", status);

        var result = await Fetcher().FetchAsync(server.Url("/feed").AbsoluteUri, null, default);

        Assert.Equal(new FetchResult.Failed(reason), result);
        Assert.Equal(0, bodyRead.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_silent_server_times_out_in_plain_words(bool afterHeaders)
    {
        server.Hang("/slow", afterHeaders);
        var fetching = Fetcher(timeout: TimeSpan.FromSeconds(5)).FetchAsync(server.Url("/slow").AbsoluteUri, null, default);
        await server.Arrival("/slow").WaitAsync(TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(new FetchResult.Failed("timed out after 5 s"), await fetching.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task The_default_timeout_is_30_seconds()
    {
        server.Hang("/slow");
        var fetching = Fetcher().FetchAsync(server.Url("/slow").AbsoluteUri, null, default);
        await server.Arrival("/slow").WaitAsync(TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(fetching.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new FetchResult.Failed("timed out after 30 s"), await fetching.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task The_callers_cancellation_propagates()
    {
        server.Hang("/slow");
        using var cancel = new CancellationTokenSource();
        var fetching = Fetcher().FetchAsync(server.Url("/slow").AbsoluteUri, null, cancel.Token);
        await server.Arrival("/slow").WaitAsync(TimeSpan.FromSeconds(30));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetching.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task An_already_cancelled_fetch_sends_nothing()
    {
        server.Publish("/feed", Feed);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Fetcher().FetchAsync(server.Url("/feed").AbsoluteUri, null, new CancellationToken(canceled: true)));
        Assert.Equal(0, server.RequestCount("/feed"));
    }

    [Fact]
    public async Task An_endless_body_fails_quickly_and_reading_stops_at_the_cap()
    {
        server.ServeEndless("/huge", 50L * OneMegabyte);

        var result = await Fetcher(maxBytes: OneMegabyte)
            .FetchAsync(server.Url("/huge").AbsoluteUri, null, default)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new FetchResult.Failed("larger than 1 MB"), result);
        Assert.InRange(bodyRead.Value, OneMegabyte + 1, OneMegabyte + (64 * 1024));
    }

    [Fact]
    public async Task A_Content_Length_over_the_cap_is_rejected_before_reading()
    {
        server.ServeEndless("/huge", 50L * OneMegabyte, announceLength: true);

        var result = await Fetcher(maxBytes: OneMegabyte).FetchAsync(server.Url("/huge").AbsoluteUri, null, default);

        Assert.Equal(new FetchResult.Failed("larger than 1 MB"), result);
        Assert.Equal(0, bodyRead.Value);
    }

    [Fact]
    public async Task A_body_of_exactly_the_cap_is_accepted()
    {
        server.Publish("/feed", new byte[OneMegabyte]);

        var result = await Fetcher(maxBytes: OneMegabyte).FetchAsync(server.Url("/feed").AbsoluteUri, null, default);

        Assert.Equal(OneMegabyte, Assert.IsType<FetchResult.Fresh>(result).Body.Length);
    }

    [Fact]
    public async Task The_cap_counts_decompressed_bytes()
    {
        server.Publish("/bomb", new byte[2 * OneMegabyte]);

        var result = await Fetcher(maxBytes: OneMegabyte).FetchAsync(server.Url("/bomb").AbsoluteUri, null, default);

        Assert.True(Assert.Single(server.Answers("/bomb")).Gzipped);
        Assert.Equal(new FetchResult.Failed("larger than 1 MB"), result);
    }

    [Theory]
    [InlineData(1536 * 1024, "larger than 1.5 MB")]
    [InlineData(512 * 1024, "larger than 512 KB")]
    [InlineData(1000, "larger than 1000 bytes")]
    public async Task The_cap_is_named_in_plain_units(int maxBytes, string reason)
    {
        server.ServeEndless("/huge", 4L * OneMegabyte);

        Assert.Equal(new FetchResult.Failed(reason), await Fetcher(maxBytes: maxBytes).FetchAsync(server.Url("/huge").AbsoluteUri, null, default));
    }

    [Fact]
    public async Task Redirects_are_followed_and_the_base_is_the_final_url()
    {
        server.Publish("/feed", Feed);
        server.Redirect("/old", "/moved", HttpStatusCode.MovedPermanently);
        server.Redirect("/moved", "/feed");

        var fresh = Assert.IsType<FetchResult.Fresh>(await Fetcher().FetchAsync(server.Url("/old").AbsoluteUri, null, default));

        Assert.Equal(server.Url("/feed"), fresh.BaseUri);
    }

    [Fact]
    public async Task A_redirect_loop_fails_with_the_status()
    {
        server.Redirect("/loop", "/loop");

        var failed = Assert.IsType<FetchResult.Failed>(await Fetcher().FetchAsync(server.Url("/loop").AbsoluteUri, null, default));

        Assert.Equal($"HTTP 302 Found, redirect to {server.Url("/loop")} not followed", failed.Reason);
        Assert.Equal(6, server.RequestCount("/loop"));
    }

    [Theory]
    [InlineData("/canonical/feed.xml", "/canonical/feed.xml")]
    [InlineData("canonical.xml", "/site/canonical.xml")]
    public async Task Content_Location_wins_over_the_url(string contentLocation, string expectedPath)
    {
        server.Publish("/site/feed", Feed, contentLocation: contentLocation);

        var fresh = Assert.IsType<FetchResult.Fresh>(await Fetcher().FetchAsync(server.Url("/site/feed").AbsoluteUri, null, default));

        Assert.Equal(server.Url(expectedPath), fresh.BaseUri);
    }

    [Theory]
    [InlineData("application/rss+xml; charset=windows-1251", "windows-1251")]
    [InlineData("text/html; charset=\"UTF-8\"", "UTF-8")]
    [InlineData("application/xml", null)]
    public async Task The_charset_from_Content_Type_is_passed_through_whatever_the_type(string contentType, string? charset)
    {
        server.Publish("/feed", Feed, contentType);

        var fresh = Assert.IsType<FetchResult.Fresh>(await Fetcher().FetchAsync(server.Url("/feed").AbsoluteUri, null, default));

        Assert.Equal(charset, fresh.Charset);
    }

    [Fact]
    public async Task A_refused_connection_fails_in_plain_words()
    {
        var result = await Fetcher().FetchAsync($"http://127.0.0.1:{UnusedPort()}/feed", null, default);

        Assert.Equal(new FetchResult.Failed("connection refused"), result);
    }

    [Theory]
    [InlineData(HttpRequestError.NameResolutionError, null, "name not resolved")]
    [InlineData(HttpRequestError.Unknown, SocketError.HostNotFound, "name not resolved")]
    [InlineData(HttpRequestError.ConnectionError, SocketError.ConnectionRefused, "connection refused")]
    [InlineData(HttpRequestError.ConnectionError, SocketError.TimedOut, "connection timed out")]
    [InlineData(HttpRequestError.ConnectionError, SocketError.NetworkUnreachable, "host unreachable")]
    [InlineData(HttpRequestError.SecureConnectionError, null, "TLS handshake failed")]
    [InlineData(HttpRequestError.ResponseEnded, null, "connection closed before the response was complete")]
    [InlineData(HttpRequestError.Unknown, null, "network error")]
    public async Task Network_errors_fail_in_plain_words(HttpRequestError error, SocketError? socket, string reason)
    {
        var cause = socket is { } code ? new SocketException((int)code) : null;
        var fetcher = Fetcher(new FailingHandler(new HttpRequestException(error, "low-level details", cause)));

        Assert.Equal(new FetchResult.Failed(reason), await fetcher.FetchAsync("https://atlas.example/feed", null, default));
    }

    [Fact]
    public async Task A_TLS_failure_names_its_cause()
    {
        var cause = new System.Security.Authentication.AuthenticationException("The remote certificate is invalid.");
        var fetcher = Fetcher(new FailingHandler(new HttpRequestException(HttpRequestError.SecureConnectionError, "ssl", cause)));

        var result = await fetcher.FetchAsync("https://atlas.example/feed", null, default);

        Assert.Equal(new FetchResult.Failed("TLS handshake failed: The remote certificate is invalid"), result);
    }

    [Theory]
    [InlineData("ftp://atlas.example/feed.xml")]
    [InlineData("mailto://someone")]
    public async Task An_address_that_is_neither_http_nor_a_file_fails(string url)
    {
        var result = await Fetcher().FetchAsync(url, null, default);

        Assert.Equal(new FetchResult.Failed($"not an http(s) URL or file path: {url}"), result);
    }

    [Theory]
    [InlineData(PathForm.Absolute)]
    [InlineData(PathForm.Relative)]
    [InlineData(PathForm.FileUri)]
    public async Task A_file_is_read_like_a_document(PathForm form)
    {
        var path = SampleFile("az.xml", Feed, new DateTime(2025, 2, 1, 10, 30, 0, DateTimeKind.Utc));

        var fresh = Assert.IsType<FetchResult.Fresh>(await Fetcher().FetchAsync(Address(path, form), null, default));

        Assert.Equal(Feed, Encoding.UTF8.GetString(fresh.Body));
        Assert.Equal(new Uri(path), fresh.BaseUri);
        Assert.Null(fresh.Charset);
        Assert.Null(fresh.ETag);
        Assert.Equal("Sat, 01 Feb 2025 10:30:00 GMT", fresh.LastModified);
    }

    [Fact]
    public async Task An_unchanged_file_is_not_modified_and_a_touched_one_is_fresh()
    {
        var path = SampleFile("az.xml", Feed, new DateTime(2025, 2, 1, 10, 30, 0, DateTimeKind.Utc));
        var fetcher = Fetcher();
        var first = Assert.IsType<FetchResult.Fresh>(await fetcher.FetchAsync(path, null, default));
        var previous = new FetchValidators(first.ETag, first.LastModified);

        Assert.IsType<FetchResult.NotModified>(await fetcher.FetchAsync(path, previous, default));

        File.SetLastWriteTimeUtc(path, new DateTime(2025, 2, 2, 9, 0, 0, DateTimeKind.Utc));
        Assert.IsType<FetchResult.Fresh>(await fetcher.FetchAsync(path, previous, default));
    }

    [Fact]
    public async Task A_missing_file_is_not_found()
    {
        var path = Path.Combine(files.FullName, "missing.xml");

        Assert.Equal(new FetchResult.Failed($"file not found: {path}"), await Fetcher().FetchAsync(path, null, default));
    }

    [Fact]
    public async Task A_file_over_the_cap_fails()
    {
        var path = SampleFile("big.xml", new string('x', 2048), new DateTime(2025, 2, 1, 10, 30, 0, DateTimeKind.Utc));

        Assert.Equal(new FetchResult.Failed("larger than 1 KB"), await Fetcher(maxBytes: 1024).FetchAsync(path, null, default));
    }

    [Fact]
    public void Options_bind_from_the_Fetch_section()
    {
        using var container = Container(new() { ["Fetch:Timeout"] = "00:00:05", ["Fetch:MaxBytes"] = "2048" });

        var options = container.GetRequiredService<IOptions<FetchOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(2048, options.MaxBytes);
    }

    [Theory]
    [InlineData("Fetch:Timeout", "00:00:00")]
    [InlineData("Fetch:MaxBytes", "0")]
    [InlineData("Fetch:MaxBytes", "2000000000")]
    public void Nonsense_options_are_refused_at_start(string key, string value)
    {
        using var container = Container(new() { [key] = value });

        Assert.Throws<OptionsValidationException>(() => container.GetRequiredService<IStartupValidator>().Validate());
    }

    public enum PathForm
    {
        Absolute,
        Relative,
        FileUri,
    }

    private static string Address(string path, PathForm form) => form switch
    {
        PathForm.Absolute => path,
        PathForm.Relative => Path.GetRelativePath(Environment.CurrentDirectory, path),
        _ => new Uri(path).AbsoluteUri,
    };

    private string SampleFile(string name, string content, DateTime modifiedUtc)
    {
        var path = Path.Combine(files.FullName, name);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, modifiedUtc);
        return path;
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The fetcher as the app composes it, with the test clock and a byte counter at the network edge.</summary>
    private FeedFetcher Fetcher(int? maxBytes = null, TimeSpan? timeout = null)
    {
        var settings = new Dictionary<string, string?>();
        if (maxBytes is { } bytes)
        {
            settings["Fetch:MaxBytes"] = bytes.ToString(CultureInfo.InvariantCulture);
        }

        if (timeout is { } span)
        {
            settings["Fetch:Timeout"] = span.ToString("c", CultureInfo.InvariantCulture);
        }

        var container = Container(settings, builder => builder.AddHttpMessageHandler(() => new BodyReadCounter(bodyRead)));
        containers.Add(container);
        return container.GetRequiredService<FeedFetcher>();
    }

    private FeedFetcher Fetcher(HttpMessageHandler network) =>
        new(new HttpClient(network), Options.Create(new FetchOptions()), clock, NullLogger<FeedFetcher>.Instance);

    private ServiceProvider Container(Dictionary<string, string?> settings, Action<IHttpClientBuilder>? client = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton<TimeProvider>(clock);
        client?.Invoke(services.AddFeedFetcher());
        if (client is null)
        {
            services.AddFeedFetcher();
        }

        return services.BuildServiceProvider();
    }
}
