using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Tests.Telegram;

/// <summary>In webhook mode the bot tells Telegram where to post, and with which secret, at start.</summary>
public sealed class WebhookRegistrationTests : IAsyncLifetime
{
    private const string Url = "https://bot.atlas.az/telegram/hook";
    private const string Secret = "hook-Secret_42";
    private ReceivingRig _rig = null!;

    public async Task InitializeAsync() => _rig = await ReceivingRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task SetWebhook_carries_the_url_the_secret_and_the_wanted_update_types_and_keeps_pending_updates()
    {
        await RunAsync();

        Assert.Equal((Url, Secret), (_rig.Api.WebhookUrl, _rig.Api.WebhookSecret));
        var request = Assert.Single(_rig.Api.Requests);
        Assert.Equal("""["message","edited_message","channel_post","callback_query","my_chat_member"]""", request.Field("allowed_updates"));
        Assert.NotEqual("true", request.Field("drop_pending_updates"));
        Assert.Contains(_rig.LogLines(LogLevel.Information), line => line.Contains($"Webhook set: Telegram posts updates to {Url}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_registration_is_retried_and_logged_without_the_secret()
    {
        var calls = 0;
        _rig.Api.Fault = _ => Interlocked.Increment(ref calls) <= 2 ? FakeReply.BadRequest("bad webhook: Failed to resolve host") : null;

        await RunAsync();

        Assert.Equal(Url, _rig.Api.WebhookUrl);
        var warning = Assert.Single(_rig.LogLines(LogLevel.Warning));
        Assert.Contains("bad webhook: Failed to resolve host", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(_rig.Logs.Messages, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_token_stops_it_with_one_clear_error()
    {
        _rig.Api.Fault = _ => new FakeReply.ApiError(401, "Unauthorized");

        await RunAsync();

        Assert.Null(_rig.Api.WebhookUrl);
        Assert.Contains("check Telegram__BotToken", Assert.Single(_rig.LogLines(LogLevel.Error)), StringComparison.Ordinal);
        _rig.AssertNoTokenInLogs();
    }

    private async Task RunAsync()
    {
        var telegram = Options.Create(new TelegramOptions { Updates = UpdateMode.Webhook, WebhookUrl = Url, WebhookSecret = Secret });
        using var registration = new WebhookRegistration(_rig.Client, telegram, ReceivingRig.Fast, TimeProvider.System, _rig.Logger<WebhookRegistration>());
        await registration.StartAsync(CancellationToken.None);
        await registration.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
