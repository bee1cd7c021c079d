using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Atlas.Bot.Feeds.WebSub;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Feeds;

/// <summary>
/// Fetches one feed document, over HTTP(S) or from a local file, conditionally and within the
/// configured time and size limits. Whether the body is a feed at all is the parser's call.
/// </summary>
public sealed class FeedFetcher(HttpClient http, IOptions<FetchOptions> options, TimeProvider time, ILogger<FeedFetcher> log)
{
    private readonly FetchOptions limits = options.Value;

    /// <param name="url">An http(s) URL, a file:// URI, or a file path (absolute or relative to the current directory).</param>
    /// <param name="previous">Validators from the last fresh fetch, or null to fetch unconditionally.</param>
    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled; a timeout is a <see cref="FetchResult.Failed"/>.</exception>
    public async Task<FetchResult> FetchAsync(string url, FetchValidators? previous, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ct.ThrowIfCancellationRequested();

        using var deadline = new CancellationTokenSource(limits.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        FetchResult result;
        try
        {
            result = await FetchWithinAsync(url, previous, linked.Token);
        }
        catch (Exception ex) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested
                                   && ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // Cancelling mid-read can surface as an I/O error too; the deadline is the real cause.
            result = FetchFailures.TimedOut(limits.Timeout);
        }
        catch (HttpRequestException ex)
        {
            result = FetchFailures.Network(ex);
        }
        catch (IOException ex)
        {
            result = FetchFailures.Network(ex);
        }
        catch (InvalidDataException)
        {
            result = FetchFailures.Undecompressable();
        }

        Log(url, result);
        return result;
    }

    private Task<FetchResult> FetchWithinAsync(string url, FetchValidators? previous, CancellationToken ct)
    {
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            return FetchFileAsync(url, previous, ct);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return Task.FromResult<FetchResult>(FetchFailures.UnsupportedAddress(url));
        }

        return uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps ? FetchHttpAsync(uri, previous, ct)
            : uri.IsFile ? FetchFileAsync(uri.LocalPath, previous, ct)
            : Task.FromResult<FetchResult>(FetchFailures.UnsupportedAddress(url));
    }

    private async Task<FetchResult> FetchHttpAsync(Uri url, FetchValidators? previous, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var conditional = AddValidators(request, previous);

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var finalUrl = response.RequestMessage?.RequestUri ?? url;
        log.Answered(url, (int)response.StatusCode, finalUrl);

        if (response.StatusCode == HttpStatusCode.NotModified && conditional)
        {
            return new FetchResult.NotModified();
        }

        if (!response.IsSuccessStatusCode)
        {
            return FetchFailures.Status(response);
        }

        var content = response.Content;
        var announced = content.Headers.ContentLength;
        if (announced > limits.MaxBytes)
        {
            return FetchFailures.TooLarge(limits.MaxBytes);
        }

        // Decompression happens below this stream, so the cap counts decompressed bytes.
        await using var stream = await content.ReadAsStreamAsync(ct);
        var body = await FetchBody.ReadAsync(stream, limits.MaxBytes, announced, ct);
        if (body is null)
        {
            return FetchFailures.TooLarge(limits.MaxBytes);
        }

        return new FetchResult.Fresh(
            body,
            Charset(content),
            BaseUri(content, finalUrl),
            ETag: Raw(response.Headers, "ETag"),
            LastModified: Raw(content.Headers, "Last-Modified"),
            WebSub: response.Headers.NonValidated.TryGetValues("Link", out var links)
                // Relative references resolve against the URL that answered (RFC 8288 §3.2), not Content-Location.
                ? LinkHeader.WebSub(links, finalUrl)
                : WebSubLinks.None);
    }

    /// <summary>Validators go back exactly as received: some servers compare them as strings.</summary>
    private static bool AddValidators(HttpRequestMessage request, FetchValidators? previous)
    {
        var added = false;
        if (!string.IsNullOrWhiteSpace(previous?.ETag))
        {
            added |= request.Headers.TryAddWithoutValidation("If-None-Match", previous.ETag);
        }

        if (!string.IsNullOrWhiteSpace(previous?.LastModified))
        {
            added |= request.Headers.TryAddWithoutValidation("If-Modified-Since", previous.LastModified);
        }

        return added;
    }

    private static string? Raw(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    private static string? Charset(HttpContent content) =>
        content.Headers.ContentType?.CharSet?.Trim('"', ' ') is { Length: > 0 } charset ? charset : null;

    private static Uri BaseUri(HttpContent content, Uri finalUrl) =>
        Raw(content.Headers, "Content-Location") is { } location
        && Uri.TryCreate(finalUrl, location, out var resolved)
        && (resolved.Scheme == Uri.UriSchemeHttp || resolved.Scheme == Uri.UriSchemeHttps)
            ? resolved
            : finalUrl;

    private async Task<FetchResult> FetchFileAsync(string path, FetchValidators? previous, CancellationToken ct)
    {
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            return FetchFailures.UnsupportedAddress(path);
        }

        var file = new FileInfo(fullPath);
        if (!file.Exists)
        {
            return FetchFailures.FileNotFound(fullPath);
        }

        // The mtime plays Last-Modified so a dry run on sample files behaves like HTTP.
        // RFC 1123 keeps whole seconds: two saves within one second look like one.
        var lastModified = new DateTimeOffset(file.LastWriteTimeUtc).ToString("R", CultureInfo.InvariantCulture);
        if (previous?.LastModified == lastModified)
        {
            return new FetchResult.NotModified();
        }

        if (file.Length > limits.MaxBytes)
        {
            return FetchFailures.TooLarge(limits.MaxBytes);
        }

        byte[]? body;
        try
        {
            await using var stream = new FileStream(fullPath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            body = await FetchBody.ReadAsync(stream, limits.MaxBytes, file.Length, ct);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return FetchFailures.FileNotFound(fullPath);
        }
        catch (UnauthorizedAccessException)
        {
            return FetchFailures.FileUnreadable(fullPath, "access denied");
        }
        catch (IOException ex)
        {
            return FetchFailures.FileUnreadable(fullPath, ex.Message);
        }

        return body is null
            ? FetchFailures.TooLarge(limits.MaxBytes)
            : new FetchResult.Fresh(body, Charset: null, new Uri(fullPath), ETag: null, lastModified);
    }

    private void Log(string url, FetchResult result)
    {
        switch (result)
        {
            case FetchResult.Fresh fresh:
                log.Fresh(url, fresh.Body.Length);
                break;
            case FetchResult.NotModified:
                log.NotModified(url);
                break;
            case FetchResult.Failed failed:
                log.Failed(url, failed.Reason);
                break;
        }
    }
}
