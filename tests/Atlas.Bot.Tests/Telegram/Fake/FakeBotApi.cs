using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telegram.Bot;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>
/// An in-process Bot API server on an ephemeral local port, for the real Telegram.Bot client. Strict where Telegram is
/// strict (HTML, lengths, flood limits, blocked/unknown/migrated chats, unfetchable photos); records what it accepted.
/// </summary>
public sealed partial class FakeBotApi : IAsyncDisposable
{
    public const string DefaultToken = "123456789:TEST-fake_token-for_atlas";

    private static readonly FakeReply.ApiError Unauthorized = new(401, "Unauthorized");

    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly FakeFloodControl _flood;
    private readonly List<HttpClient> _httpClients = [];
    private int _sequence;
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly List<SentMessage> _messages = [];
    private TaskCompletionSource _messageArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<CallbackAnswer> _callbackAnswers = new();
    private readonly ConcurrentDictionary<string, bool> _answeredQueries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FloodRefusal> _floodRefusals = new();
    private readonly ConcurrentDictionary<string, JsonElement> _commands = new();
    private readonly ConcurrentDictionary<string, string> _blocked = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _unknownUsernames = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, long> _migrated = new();
    private readonly ConcurrentDictionary<string, string> _unfetchablePhotos = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _memberCounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _usernameIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<long, int> _lastMessageIds = new();

    private FakeBotApi(WebApplication app, TimeProvider time, string token)
    {
        _app = app;
        _time = time;
        _flood = new FakeFloodControl();
        Token = token;
    }

    public string Token { get; }

    /// <summary>Where the server listens, e.g. "http://127.0.0.1:43121"; pass it as the client's base URL.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Answers a call with a canned reply instead of handling it; null (or returning null) handles it normally.</summary>
    public Func<FakeRequest, FakeReply?>? Fault { get; set; }

    public FakeFloodLimits FloodLimits
    {
        get => _flood.Limits;
        set => _flood.Limits = value;
    }

    /// <summary>How long getUpdates waits at most for an update, whatever timeout the client asked for.</summary>
    public TimeSpan LongPollCap { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Every send (and every edit or deletion the limits count) refused with 429 by the flood limits, in order.</summary>
    public IReadOnlyCollection<FloodRefusal> FloodRefusals => _floodRefusals;

    /// <summary>Every call received, accepted or not, in order of arrival.</summary>
    public IReadOnlyCollection<FakeRequest> Requests => _requests;

    /// <summary>Every message accepted by sendMessage or sendPhoto, in order of acceptance.</summary>
    public IReadOnlyList<SentMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public IReadOnlyCollection<CallbackAnswer> CallbackAnswers => _callbackAnswers;

    /// <summary>The last setMyCommands body per language code ("" for the default; "chat:42" for one chat's menu).</summary>
    public IReadOnlyDictionary<string, JsonElement> Commands => _commands;

    /// <summary>The URL of the last setWebhook; null after deleteWebhook or when never set.</summary>
    public string? WebhookUrl { get; private set; }

    /// <summary>The secret_token of the last setWebhook; null after deleteWebhook or when none was given.</summary>
    public string? WebhookSecret { get; private set; }

    public static async Task<FakeBotApi> StartAsync(
        TimeProvider? time = null, string token = DefaultToken, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeBotApi(app, time ?? TimeProvider.System, token);
        app.Run(fake.HandleAsync);
        await app.StartAsync(cancellationToken);
        fake.BaseUrl = app.Urls.Single().TrimEnd('/');
        return fake;
    }

    /// <summary>A real client pointed at this server, with the client's own 429 retries off.</summary>
    public TelegramBotClient CreateClient(TimeSpan? timeout = null)
    {
        var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        lock (_httpClients)
        {
            _httpClients.Add(http);
        }

        return new TelegramBotClient(new TelegramBotClientOptions(Token, BaseUrl) { RetryThreshold = 0 }, http);
    }

    /// <summary>Answers messages into <paramref name="chat"/> (id or "@username") with 403 and this description.</summary>
    public void BlockChat(string chat, string description = "Forbidden: bot was blocked by the user") =>
        _blocked[chat] = description;

    /// <summary>The user unblocked the bot: messages into <paramref name="chat"/> are accepted again.</summary>
    public void UnblockChat(string chat) => _blocked.TryRemove(chat, out _);

    /// <summary>Answers "@username" with 400 "chat not found".</summary>
    public void MakeChatUnknown(string username) => _unknownUsernames[username] = true;

    public void MigrateChat(long groupId, long supergroupId) => _migrated[groupId] = supergroupId;

    public void MakePhotoUnfetchable(string url, string description = "Bad Request: wrong file identifier/HTTP URL specified") =>
        _unfetchablePhotos[url] = description;

    public void SetMemberCount(string chat, int count) => _memberCounts[chat] = count;

    /// <summary>Resolves "@username" to this id instead of an invented one.</summary>
    public void RegisterUsername(string username, long chatId) => _usernameIds[username] = chatId;

    /// <summary>Completes when at least <paramref name="count"/> messages were accepted; throws TimeoutException after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<SentMessage>> WaitForMessagesAsync(
        int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_messages)
            {
                if (_messages.Count >= count)
                {
                    return [.. _messages];
                }

                changed = _messageArrived.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Expected {count} messages within {timeout}, got {Messages.Count}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        lock (_httpClients)
        {
            _httpClients.ForEach(http => http.Dispose());
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = _time.GetUtcNow();
        var path = context.Request.Path.Value ?? "";
        var prefix = $"/bot{Token}/";
        if (!HttpMethods.IsPost(context.Request.Method) && !HttpMethods.IsGet(context.Request.Method)
            || !path.StartsWith("/bot", StringComparison.Ordinal))
        {
            await WriteAsync(context, NotFound);
            return;
        }

        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            // Telegram answers any call made with a token it does not know with 401.
            await WriteAsync(context, Unauthorized);
            return;
        }

        var (body, uploads) = await ReadBodyAsync(context.Request);
        var request = new FakeRequest(path[prefix.Length..].ToLowerInvariant(), body, Interlocked.Increment(ref _sequence)) { Uploads = uploads, ArrivedAt = arrived };
        _requests.Enqueue(request);
        switch (Fault?.Invoke(request))
        {
            case FakeReply.ApiError error:
                await WriteAsync(context, error);
                return;
            case FakeReply.Raw raw:
                context.Response.StatusCode = raw.Status;
                context.Response.ContentType = raw.ContentType;
                await context.Response.WriteAsync(raw.Body, context.RequestAborted);
                return;
            case FakeReply.Delay delay:
                await Task.Delay(delay.Duration, context.RequestAborted);
                break;
        }

        await WriteAsync(context, await DispatchAsync(request, context.RequestAborted));
    }

    private static async Task<(JsonElement Body, IReadOnlyDictionary<string, FakeUpload> Uploads)> ReadBodyAsync(HttpRequest request)
    {
        // Telegram.Bot posts JSON for every request without an uploaded file, and multipart/form-data with one;
        // anything else is a surprise worth seeing.
        if (request.ContentLength == 0 || request.ContentType is null)
        {
            return (JsonDocument.Parse("{}").RootElement, FakeRequest.NoUploads);
        }

        if (request.HasFormContentType && request.ContentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return await ReadMultipartAsync(request);
        }

        if (!request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The fake Bot API expects JSON or multipart bodies, got {request.ContentType}.");
        }

        using var document = await JsonDocument.ParseAsync(request.Body);
        return (document.RootElement.Clone(), FakeRequest.NoUploads);
    }

    /// <summary>Form fields become the same JSON object a JSON body would give (objects such as reply_markup parsed); files are kept apart.</summary>
    private static async Task<(JsonElement Body, IReadOnlyDictionary<string, FakeUpload> Uploads)> ReadMultipartAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var body = new JsonObject();
        foreach (var (name, values) in form)
        {
            var value = values.ToString();
            body[name] = value.StartsWith('{') || value.StartsWith('[') ? JsonNode.Parse(value) : JsonValue.Create(value);
        }

        var uploads = new Dictionary<string, FakeUpload>(StringComparer.Ordinal);
        foreach (var file in form.Files)
        {
            using var bytes = new MemoryStream();
            await file.CopyToAsync(bytes);
            uploads[file.Name] = new FakeUpload(file.FileName, file.ContentType, bytes.ToArray());
        }

        return (JsonSerializer.SerializeToElement(body), uploads);
    }

    private static Task WriteAsync(HttpContext context, Outcome outcome)
    {
        JsonObject body;
        if (outcome.Error is { } error)
        {
            context.Response.StatusCode = error.Code;
            body = FakeReply.ToJson(error);
        }
        else
        {
            body = new JsonObject { ["ok"] = true, ["result"] = outcome.Result };
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static string Key(long chatId) => chatId.ToString(CultureInfo.InvariantCulture);
}
