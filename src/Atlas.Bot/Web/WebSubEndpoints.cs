using System.Net.Http.Headers;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Feeds.WebSub;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Web;

/// <summary>
/// The WebSub callback, /websub/{feedId}/{token}: GET is the hub's verification of intent, POST its content
/// distribution. Mapped only where the subscriber is registered.
/// </summary>
public static partial class WebSubEndpoints
{
    public static IEndpointRouteBuilder MapWebSub(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<WebSubSubscriber>() is null)
        {
            return endpoints;
        }

        endpoints.MapGet("/websub/{feedId}/{token}", VerifyAsync).ExcludeFromDescription();
        endpoints.MapPost("/websub/{feedId}/{token}", ReceiveAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> VerifyAsync(string feedId, string token, HttpRequest request, WebSubSubscriber subscriber, CancellationToken ct)
    {
        var query = request.Query;
        var challenge = await subscriber.VerifyIntentAsync(
            feedId, token, query["hub.mode"], query["hub.topic"], query["hub.challenge"], query["hub.lease_seconds"], query["hub.reason"], ct);
        return challenge is null ? Results.NotFound() : Results.Text(challenge, "text/plain");
    }

    /// <summary>
    /// A push: answered 2xx whatever it is (the spec asks so even of a bad signature, lest a forger learn anything), read
    /// only when signed with the subscription's secret, and then taken through the poll's parse and outbox. The callback
    /// and the presence of a signature are checked before the body is read: a flood at a guessed address or without a
    /// signature costs one lookup each, not a body of up to Fetch:MaxBytes.
    /// </summary>
    private static async Task<IResult> ReceiveAsync(
        string feedId,
        string token,
        HttpContext context,
        WebSubSubscriber subscriber,
        FeedPoller poller,
        IOptions<FetchOptions> fetch,
        BotMetrics metrics,
        ILoggerFactory logs,
        CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(WebSubEndpoints));
        if (await subscriber.PushTargetAsync(feedId, token, ct) is not { } subscription)
        {
            return Ignored("unknown_callback");
        }

        if (context.Request.Headers[HubSignature.Header].ToString() is not { Length: > 0 } signature)
        {
            return Ignored("unsigned");
        }

        if (await ReadCappedAsync(context.Request.Body, fetch.Value.MaxBytes, ct) is not { } body)
        {
            return Ignored("too_large");
        }

        if (!HubSignature.Verify(signature, body, subscription.Secret))
        {
            return Ignored("bad_signature");
        }

        var charset = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) ? type.CharSet?.Trim('"') : null;
        var outcome = await poller.ReceivePushAsync(feedId, body, charset, new Uri(subscription.Topic), ct);
        LogPushed(log, feedId, outcome.NewItems, outcome.Distributed);
        return Results.Accepted();

        IResult Ignored(string reason)
        {
            metrics.PushIgnored(reason);
            LogIgnored(log, feedId, reason);
            return Results.Accepted();
        }
    }

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/> (nothing more is read then).</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream body, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 1711, Level = LogLevel.Warning, Message = "Feed {FeedId}: a push was ignored ({Reason})")]
    private static partial void LogIgnored(ILogger log, string feedId, string reason);

    [LoggerMessage(EventId = 1712, Level = LogLevel.Information, Message = "Feed {FeedId}: a verified push brought {New} new items, {Distributed} queued")]
    private static partial void LogPushed(ILogger log, string feedId, int @new, int distributed);
}
