using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Web;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Bot.Tests.Web;

/// <summary>A minimal web app with the webhook endpoint and the receiving services, on an ephemeral local port.</summary>
public sealed class WebhookHost : IAsyncDisposable
{
    public const string Url = "https://bot.atlas.az/telegram/hook";
    public const string Secret = "hook-Secret_42";

    private readonly WebApplication _app;

    private WebhookHost(WebApplication app)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<WebhookHost> StartAsync(
        Store store, ITelegramBotClient client, CapturingLoggerProvider logs, UpdateMode mode = UpdateMode.Webhook)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton(Options.Create(new TelegramOptions { Updates = mode, WebhookUrl = Url, WebhookSecret = Secret }));
        // Polling runs under a lease, as in the service.
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<BotMetrics>();
        builder.Services.AddSingleton(ReplicaIdentity.ForThisProcess());
        builder.Services.AddSingleton<Leadership>();
        builder.Services.AddUpdateReceiving(mode);
        var app = builder.Build();
        app.MapTelegramWebhook();
        await app.StartAsync();
        return new WebhookHost(app);
    }

    /// <summary>POSTs to the webhook's path with the given secret header (none when null).</summary>
    public async Task<HttpResponseMessage> PostAsync(HttpContent content, string? secret = Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(Url).AbsolutePath, UriKind.Relative)) { Content = content };
        if (secret is not null)
        {
            request.Headers.Add(WebhookSecret.Header, secret);
        }

        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
