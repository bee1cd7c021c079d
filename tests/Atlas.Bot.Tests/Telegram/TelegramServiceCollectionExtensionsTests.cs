using System.Collections.Concurrent;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Telegram.Fake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Xunit;

namespace Atlas.Bot.Tests.Telegram;

public sealed class TelegramServiceCollectionExtensionsTests : IAsyncLifetime
{
    private FakeBotApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeBotApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private ServiceProvider Services(string? token, CapturingLoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        services.Configure<TelegramOptions>(options =>
        {
            options.BotToken = token;
            options.ApiBaseUrl = _api.BaseUrl;
        });
        services.AddTelegramClient();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task The_registered_client_talks_to_the_configured_server_without_logging_the_token()
    {
        using var logs = new CapturingLoggerProvider();
        await using var provider = Services(_api.Token, logs);

        var me = await provider.GetRequiredService<ITelegramBotClient>().GetMe();
        var sent = await provider.GetRequiredService<TelegramSender>().SendTextAsync(42, "hi", CancellationToken.None);

        Assert.Equal("atlas_test_bot", me.Username);
        Assert.IsType<SendResult.Sent>(sent);
        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(logs.Messages, message => message.Contains(_api.Token, StringComparison.Ordinal));
    }
}
