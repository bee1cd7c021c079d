using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Atlas.Bot.Load;

/// <summary>What the proxy did to one send call instead of passing it through.</summary>
internal enum Fault
{
    /// <summary>502 with Telegram's front-end HTML page.</summary>
    BadGateway,

    /// <summary>500 in the Bot API's JSON shape.</summary>
    InternalError,

    /// <summary>429 with a retry_after of 1 to 30 s.</summary>
    TooManyRequests,

    /// <summary>The connection is reset before the call reaches the Bot API.</summary>
    DroppedBefore,

    /// <summary>The Bot API handled the call (the message is sent) but the connection is reset before the answer.</summary>
    DroppedAfter,

    /// <summary>No answer until the client's own timeout gives up.</summary>
    Timeout,
}

/// <summary>
/// A reverse proxy in front of the Bot API double that spoils a share of the send calls the way a network and
/// Telegram's front end do. The double's fault hook cannot reset a connection or lose an answer after handling a
/// call, so this sits between atlas-bot and the double instead.
/// </summary>
internal sealed class FaultyProxy : IAsyncDisposable
{
    /// <summary>Cumulative shares of send calls: 20% spoiled in all.</summary>
    private static readonly (double Below, Fault Fault)[] Mix =
    [
        (0.04, Fault.BadGateway),
        (0.07, Fault.InternalError),
        (0.13, Fault.TooManyRequests),
        (0.17, Fault.DroppedBefore),
        (0.198, Fault.DroppedAfter),
        (0.200, Fault.Timeout),
    ];

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<Fault, int> _counts = new();
    private readonly ConcurrentQueue<int> _retryAfters = new();

    private FaultyProxy(WebApplication app, string upstream, TimeSpan timeout)
    {
        _app = app;
        _upstream = new HttpClient { BaseAddress = new Uri(upstream), Timeout = Timeout.InfiniteTimeSpan };
        _timeout = timeout;
    }

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyDictionary<Fault, int> Counts => _counts;

    public IReadOnlyCollection<int> RetryAfters => _retryAfters;

    /// <param name="clientTimeout">How long the bot's HttpClient waits: a timeout fault holds the call a little longer.</param>
    public static async Task<FaultyProxy> StartAsync(string upstream, TimeSpan clientTimeout, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new FaultyProxy(app, upstream, clientTimeout);
        app.Run(proxy.HandleAsync);
        await app.StartAsync(ct);
        proxy.BaseUrl = app.Urls.Single().TrimEnd('/');
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var isSend = path.EndsWith("/sendMessage", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/sendPhoto", StringComparison.OrdinalIgnoreCase);
        var draw = Random.Shared.NextDouble();
        var fault = isSend ? Mix.Where(share => draw < share.Below).Select(share => (Fault?)share.Fault).FirstOrDefault() : null;
        if (fault is { } counted)
        {
            _counts.AddOrUpdate(counted, 1, (_, count) => count + 1);
        }

        switch (fault)
        {
            case Fault.BadGateway:
                context.Response.StatusCode = 502;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.18.0</center></body></html>");
                return;
            case Fault.InternalError:
                await WriteJsonAsync(context, 500, """{"ok":false,"error_code":500,"description":"Internal Server Error"}""");
                return;
            case Fault.TooManyRequests:
                var retryAfter = Random.Shared.Next(1, 31);
                _retryAfters.Enqueue(retryAfter);
                var tooMany = new JsonObject
                {
                    ["ok"] = false, ["error_code"] = 429, ["description"] = $"Too Many Requests: retry after {retryAfter}",
                    ["parameters"] = new JsonObject { ["retry_after"] = retryAfter },
                };
                await WriteJsonAsync(context, 429, tooMany.ToJsonString());
                return;
            case Fault.DroppedBefore:
                context.Abort();
                return;
            case Fault.Timeout:
                // The client gives up first and resets the call; the double never sees it.
                await Task.Delay(_timeout + TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                context.Abort();
                return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), path + context.Request.QueryString)
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        if (context.Request.ContentType is { } contentType)
        {
            forward.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var answer = await _upstream.SendAsync(forward, context.RequestAborted);
        var bytes = await answer.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (fault == Fault.DroppedAfter)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString() ?? "application/json";
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, Encoding.UTF8, context.RequestAborted);
    }
}
