using System.Collections.Concurrent;
using System.Net;
using Atlas.Bot.Feeds.WebSub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Atlas.Bot.Tests.Feeds.WebSub;

/// <summary>
/// A WebSub hub on an ephemeral loopback port. A (un)subscription request is answered 202 (or <see cref="Status"/>);
/// the hub then verifies intent by GETting the callback with a challenge, and keeps the subscription when the callback
/// echoes it. <see cref="PushAsync"/> then sends signed content, as a hub distributes it.
/// </summary>
public sealed class FakeHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http = new();
    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _requests = new();

    private FakeHub(WebApplication app) => _app = app;

    public sealed record Subscription(string Topic, Uri Callback, string Secret, string LeaseSeconds);

    /// <summary>What the hub answers a request with; 202 unless set.</summary>
    public HttpStatusCode Status { get; set; } = HttpStatusCode.Accepted;

    /// <summary>The lease the hub grants in its verification, in seconds; the one asked for when null.</summary>
    public long? GrantedLeaseSeconds { get; set; }

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Every request the hub got, its form fields.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests => [.. _requests];

    /// <summary>Verified subscriptions by topic.</summary>
    public IReadOnlyDictionary<string, Subscription> Verified => _subscriptions;

    /// <summary>Outcomes of verifications of intent: the status the callback answered, in order.</summary>
    public ConcurrentQueue<(string Mode, HttpStatusCode Status, string Body)> Verifications { get; } = new();

    public static async Task<FakeHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var hub = new FakeHub(app);
        app.MapPost("/hub", (Delegate)hub.RequestAsync);
        await app.StartAsync();
        hub.Url = new Uri(new Uri(app.Urls.Single()), "/hub");
        return hub;
    }

    private async Task<IResult> RequestAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var fields = form.ToDictionary(field => field.Key, field => field.Value.ToString(), StringComparer.Ordinal);
        _requests.Enqueue(fields);
        if (Status != HttpStatusCode.Accepted)
        {
            return Results.StatusCode((int)Status);
        }

        // Verified asynchronously, after the request is answered, as hubs do.
        _ = Task.Run(() => VerifyAsync(fields));
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private async Task VerifyAsync(Dictionary<string, string> fields)
    {
        var mode = fields["hub.mode"];
        var lease = GrantedLeaseSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? fields.GetValueOrDefault("hub.lease_seconds", "");
        var (status, body) = await VerifyIntentAsync(mode, fields["hub.topic"], new Uri(fields["hub.callback"]), lease);
        Verifications.Enqueue((mode, status, body));
        if (mode == "subscribe" && status == HttpStatusCode.OK)
        {
            _subscriptions[fields["hub.topic"]] = new Subscription(fields["hub.topic"], new Uri(fields["hub.callback"]), fields["hub.secret"], lease);
        }
        else if (mode == "unsubscribe" && status == HttpStatusCode.OK)
        {
            _subscriptions.TryRemove(fields["hub.topic"], out _);
        }
    }

    /// <summary>A GET on <paramref name="callback"/> as a hub verifies intent: the status, and whether the body echoed the challenge.</summary>
    public async Task<(HttpStatusCode Status, string Body)> VerifyIntentAsync(string mode, string topic, Uri callback, string leaseSeconds = "3600")
    {
        var challenge = Guid.NewGuid().ToString("N");
        var query = $"hub.mode={mode}&hub.topic={Uri.EscapeDataString(topic)}&hub.challenge={challenge}&hub.lease_seconds={leaseSeconds}";
        using var response = await _http.GetAsync(new Uri(callback.AbsoluteUri + (callback.Query.Length > 0 ? "&" : "?") + query));
        var body = await response.Content.ReadAsStringAsync();
        return (response.IsSuccessStatusCode && body != challenge ? HttpStatusCode.Conflict : response.StatusCode, body);
    }

    /// <summary>Distributes <paramref name="body"/> to the topic's subscriber, signed with its secret (or forged).</summary>
    public async Task<HttpStatusCode> PushAsync(string topic, byte[] body, string method = "sha256", string? secret = null, bool withSignature = true)
    {
        var subscription = _subscriptions[topic];
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Callback) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/rss+xml; charset=utf-8");
        if (withSignature)
        {
            request.Headers.TryAddWithoutValidation(HubSignature.Header, HubSignature.Sign(method, body, secret ?? subscription.Secret));
        }

        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Waits until <paramref name="count"/> verifications were made (at most 5 s).</summary>
    public async Task WaitForVerificationsAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Verifications.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
