using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Atlas.Bot.Tests.Feeds.Fake;

/// <summary>
/// A feed site on an ephemeral loopback port, scripted per path: documents with strong ETags and
/// Last-Modified, conditional 304s, gzip on request, error statuses, hangs, endless bodies, redirects.
/// It records what each path was asked and how it answered.
/// </summary>
public sealed class FeedServer : IAsyncDisposable
{
    public const string Rss = "application/rss+xml; charset=utf-8";

    private const int ChunkSize = 64 * 1024;

    private readonly WebApplication app;
    private readonly TimeProvider clock;
    private readonly ConcurrentDictionary<string, Route> routes = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SeenRequest>> requests = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Answer>> answers = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> arrivals = new();
    private readonly CancellationTokenSource stopping = new();
    private Uri root = new("http://127.0.0.1/");

    private FeedServer(WebApplication app, TimeProvider clock)
    {
        this.app = app;
        this.clock = clock;
    }

    /// <param name="clock">Stamps Last-Modified when a document changes; real time when null.</param>
    public static async Task<FeedServer> StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();

        var server = new FeedServer(app, clock ?? TimeProvider.System);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.root = new Uri(app.Urls.Single());
        return server;
    }

    public Uri Url(string path) => new(root, path);

    /// <summary>Sets or replaces the document at <paramref name="path"/>; Last-Modified moves only when the bytes change.</summary>
    public void Publish(string path, byte[] body, string contentType = Rss, string? contentLocation = null)
    {
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}\"";
        var now = clock.GetUtcNow();
        var changed = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        routes.AddOrUpdate(
            path,
            _ => new Document(body, contentType, etag, changed, contentLocation),
            (_, old) => old is Document same && same.ETag == etag
                ? same with { ContentType = contentType, ContentLocation = contentLocation }
                : new Document(body, contentType, etag, changed, contentLocation));
    }

    public void Publish(string path, string body, string contentType = Rss, string? contentLocation = null) =>
        Publish(path, Encoding.UTF8.GetBytes(body), contentType, contentLocation);

    /// <summary>Answers <paramref name="status"/> with a sizeable HTML body nobody should read.</summary>
    public void Respond(string path, HttpStatusCode status) => routes[path] = new Status((int)status);

    /// <summary>Never answers; with <paramref name="afterHeaders"/>, stalls after the headers and a first chunk of body.</summary>
    public void Hang(string path, bool afterHeaders = false) => routes[path] = new Stall(afterHeaders);

    /// <summary>Streams <paramref name="length"/> bytes, uncompressed, announcing the length only when asked.</summary>
    public void ServeEndless(string path, long length, bool announceLength = false) =>
        routes[path] = new Endless(length, announceLength);

    public void Redirect(string path, string target, HttpStatusCode status = HttpStatusCode.Found) =>
        routes[path] = new Redirection(target, (int)status);

    /// <summary>The current ETag of a published document.</summary>
    public string ETagOf(string path) => ((Document)routes[path]).ETag;

    public IReadOnlyList<SeenRequest> Requests(string path) =>
        requests.TryGetValue(path, out var seen) ? [.. seen] : [];

    public IReadOnlyList<Answer> Answers(string path) =>
        answers.TryGetValue(path, out var given) ? [.. given] : [];

    public int RequestCount(string path) => Requests(path).Count;

    public int NotModifiedCount(string path) => Answers(path).Count(a => a.Status == StatusCodes.Status304NotModified);

    /// <summary>Completes when the first request for <paramref name="path"/> has arrived.</summary>
    public Task Arrival(string path) => arrivals.GetOrAdd(path, NewArrival).Task;

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(grace.Token);
        await app.DisposeAsync();
        stopping.Dispose();
    }

    private static TaskCompletionSource NewArrival(string path) =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var headers = context.Request.Headers;
        requests.GetOrAdd(path, _ => new()).Enqueue(new SeenRequest(
            headers.UserAgent.ToString(),
            headers.IfNoneMatch.Count == 0 ? null : headers.IfNoneMatch.ToString(),
            headers.IfModifiedSince.Count == 0 ? null : headers.IfModifiedSince.ToString(),
            headers.AcceptEncoding.ToString()));
        arrivals.GetOrAdd(path, NewArrival).TrySetResult();

        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        var gzipped = false;
        try
        {
            switch (routes.GetValueOrDefault(path))
            {
                case Document document:
                    gzipped = await ServeAsync(context, document, aborted.Token);
                    break;
                case Status status:
                    context.Response.StatusCode = status.Code;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(ErrorPage, aborted.Token);
                    break;
                case Stall stall:
                    if (stall.AfterHeaders)
                    {
                        context.Response.ContentType = Rss;
                        await context.Response.Body.WriteAsync(new byte[ChunkSize], aborted.Token);
                        await context.Response.Body.FlushAsync(aborted.Token);
                    }

                    await Task.Delay(Timeout.Infinite, aborted.Token);
                    break;
                case Endless endless:
                    await StreamAsync(context, endless, aborted.Token);
                    break;
                case Redirection redirection:
                    context.Response.StatusCode = redirection.Code;
                    context.Response.Headers.Location = Url(redirection.Target).AbsoluteUri;
                    break;
                default:
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client hung up or the server is stopping: nothing left to answer.
            context.Abort();
        }

        answers.GetOrAdd(path, _ => new()).Enqueue(new Answer(context.Response.StatusCode, gzipped));
    }

    private static async Task<bool> ServeAsync(HttpContext context, Document document, CancellationToken ct)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.ETag = document.ETag;
        response.Headers.LastModified = document.LastModified.ToString("R", CultureInfo.InvariantCulture);
        if (IsUnchanged(request, document))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return false;
        }

        response.ContentType = document.ContentType;
        if (document.ContentLocation is { } location)
        {
            response.Headers.ContentLocation = location;
        }

        var body = document.Body;
        var gzip = request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        if (gzip)
        {
            body = Gzip(body);
            response.Headers.ContentEncoding = "gzip";
            response.Headers.Vary = "Accept-Encoding";
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, ct);
        return gzip;
    }

    /// <summary>RFC 9110: If-None-Match decides when present; If-Modified-Since only without it.</summary>
    private static bool IsUnchanged(HttpRequest request, Document document)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            return ifNoneMatch.ToString()
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Any(tag => tag == "*" || WeakTag(tag) == WeakTag(document.ETag));
        }

        return DateTimeOffset.TryParseExact(
                   request.Headers.IfModifiedSince.ToString(), "R", CultureInfo.InvariantCulture,
                   DateTimeStyles.AssumeUniversal, out var since)
               && document.LastModified <= since;
    }

    private static string WeakTag(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;

    private static byte[] Gzip(byte[] body)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(body);
        }

        return compressed.ToArray();
    }

    private static async Task StreamAsync(HttpContext context, Endless endless, CancellationToken ct)
    {
        context.Response.ContentType = Rss;
        if (endless.AnnounceLength)
        {
            context.Response.ContentLength = endless.Length;
        }

        var chunk = new byte[ChunkSize];
        Array.Fill(chunk, (byte)'x');
        for (var sent = 0L; sent < endless.Length; sent += chunk.Length)
        {
            var size = (int)Math.Min(chunk.Length, endless.Length - sent);
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, size), ct);
        }
    }

    private static readonly string ErrorPage =
        $"<!doctype html><title>Error</title><p>{new string('x', 64 * 1024)}</p>";

    private abstract record Route;

    private sealed record Document(byte[] Body, string ContentType, string ETag, DateTimeOffset LastModified, string? ContentLocation) : Route;

    private sealed record Status(int Code) : Route;

    private sealed record Stall(bool AfterHeaders) : Route;

    private sealed record Endless(long Length, bool AnnounceLength) : Route;

    private sealed record Redirection(string Target, int Code) : Route;
}

/// <summary>The request headers a fetcher sent, as the server saw them.</summary>
public sealed record SeenRequest(string UserAgent, string? IfNoneMatch, string? IfModifiedSince, string AcceptEncoding);

/// <summary>How the server answered one request.</summary>
public sealed record Answer(int Status, bool Gzipped);
