using System.Net;
using System.Text;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Telegram.Bot;

namespace Atlas.Bot.Tests.Web;

/// <summary>
/// The webhook endpoint over real HTTP: only Telegram, with the secret, gets an update stored — in the inbox of either
/// provider (a subclass per provider).
/// </summary>
public abstract class WebhookEndpointsTests(Provider provider) : IAsyncLifetime, IDisposable
{
    private readonly CapturingLoggerProvider _logs = new();
    private FakeBotApi _api = null!;
    private ITelegramBotClient _client = null!;
    private TempDatabase _database = null!;
    private WebhookHost _host = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeBotApi.StartAsync();
        _client = _api.CreateClient();
        _database = await TempDatabase.CreateAsync(provider);
        _host = await WebhookHost.StartAsync(_database.Store, _client, _logs);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _api.DisposeAsync();
        await _database.DisposeAsync();
        FloodAssert.NoneRefused(_api);
    }

    public void Dispose()
    {
        _logs.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task An_update_with_the_right_secret_is_stored_answered_200_and_wakes_the_processor()
    {
        var woken = _host.Services.GetRequiredService<InboxSignal>().WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        using var response = await _host.PostAsync(Json(Start(501)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = Assert.Single(await _database.Store.UnhandledUpdatesAsync(10, CancellationToken.None));
        Assert.True(UpdateJson.TryParse(stored.Payload, out var update, out _));
        Assert.Equal((501, "/start", "az"), (update.Id, update.Message?.Text, update.Message?.From?.LanguageCode));
        Assert.Null(await _database.Store.UpdateOffsetAsync(CancellationToken.None));
        await woken.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_update_Telegram_resends_is_stored_once()
    {
        using var first = await _host.PostAsync(Json(Start(502)));
        using var again = await _host.PostAsync(Json(Start(502)));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal(1, await _database.CountAsync("SELECT COUNT(*) FROM inbox WHERE update_id = 502"));
    }

    [Theory]
    [InlineData(null, "no secret")]
    [InlineData("wrong-secret", "a wrong secret")]
    [InlineData("hook-Secret_4", "a wrong secret")]
    [InlineData("hook-Secret_42x", "a wrong secret")]
    public async Task Without_the_right_secret_the_answer_is_401_logged_with_the_callers_address(string? secret, string logged)
    {
        using var response = await _host.PostAsync(Json(Start(503)), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await _database.CountAsync("SELECT COUNT(*) FROM inbox"));
        var warning = Assert.Single(WarningLines());
        Assert.Contains($"Refused a webhook request from 127.0.0.1: it carried {logged}", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Messages, line => line.Contains(WebhookHost.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_secret_headers_are_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/telegram/hook", UriKind.Relative)) { Content = Json(Start(504)) };
        request.Headers.Add(WebhookSecret.Header, [WebhookHost.Secret, "other"]);

        using var response = await _host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_a_megabyte_is_refused_with_413_whether_or_not_its_length_is_announced(bool announced)
    {
        var body = Encoding.UTF8.GetBytes(Start(505).Replace("/start", new string('x', WebhookReceiver.MaxBodyBytes), StringComparison.Ordinal));
        HttpContent content = announced ? new ByteArrayContent(body) : new StreamContent(new UnknownLengthStream(body));

        using var response = await _host.PostAsync(content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await _database.CountAsync("SELECT COUNT(*) FROM inbox"));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"update_id":"many"}""")]
    [InlineData("""{"update_id":506,"message":{"message_id":"x"}}""")]
    [InlineData("""{"update_id":506,"message":""")]
    public async Task A_body_that_is_not_an_update_is_refused_with_400_and_logged_without_a_stack_trace(string body)
    {
        using var response = await _host.PostAsync(Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _database.CountAsync("SELECT COUNT(*) FROM inbox"));
        var warning = Assert.Single(WarningLines());
        Assert.Contains("are not a Telegram update", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Messages, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_mode_registers_the_webhook_with_its_secret_at_start()
    {
        await Until.TrueAsync(() => _api.WebhookUrl is not null, "setWebhook");

        Assert.Equal((WebhookHost.Url, WebhookHost.Secret), (_api.WebhookUrl, _api.WebhookSecret));
    }

    [Theory]
    [InlineData(UpdateMode.Polling)]
    [InlineData(UpdateMode.Off)]
    public async Task Outside_webhook_mode_the_path_is_not_served(UpdateMode mode)
    {
        await using var host = await WebhookHost.StartAsync(_database.Store, _client, _logs, mode);

        using var response = await host.PostAsync(Json(Start(507)));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private List<string> WarningLines() => [.. _logs.Messages.Where(line => line.StartsWith("Warning ", StringComparison.Ordinal))];

    /// <summary>A /start from a private chat, as Telegram posts it.</summary>
    private static string Start(int updateId) =>
        $$$"""
        {"update_id":{{{updateId}}},"message":{"message_id":1,"date":1760000000,
          "chat":{"id":42,"type":"private","first_name":"Aysel"},
          "from":{"id":42,"is_bot":false,"first_name":"Aysel","language_code":"az"},
          "text":"/start","entities":[{"type":"bot_command","offset":0,"length":6}]}}
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A body sent chunked: the server learns its length only by reading it.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class WebhookEndpointsTests_Sqlite() : WebhookEndpointsTests(Provider.Sqlite);

public sealed class WebhookEndpointsTests_Postgres() : WebhookEndpointsTests(Provider.Postgres);
