using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Bot.Telegram;

public static class TelegramServiceCollectionExtensions
{
    /// <summary>The HttpClient name of the Bot API client; its request logging is off because URLs contain the token.</summary>
    public const string HttpClientName = "telegram";

    /// <summary>
    /// Registers <see cref="ITelegramBotClient"/> (over the "telegram" HttpClient, automatic 429 retries off) and
    /// <see cref="TelegramSender"/> as the <see cref="ITelegramSender"/>. Binding the "Telegram" section to
    /// <see cref="TelegramOptions"/> and validating it at start (<see cref="TelegramOptionsValidator"/>) is the host's
    /// job (AddAtlasBotOptions). The sender lives as long as
    /// the process, so the handler recycles its connections itself (PooledConnectionLifetime) to follow DNS changes.
    /// </summary>
    public static IServiceCollection AddTelegramClient(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName)
            .RemoveAllLoggers()
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddTypedClient<ITelegramBotClient>((http, provider) =>
            {
                var options = provider.GetRequiredService<IOptions<TelegramOptions>>().Value;
                // RetryThreshold = 0: the client must not sleep on a 429 by itself; RateGovernor owns pacing.
                return new TelegramBotClient(new TelegramBotClientOptions(options.BotToken!, options.ApiBaseUrl) { RetryThreshold = 0 }, http);
            });
        services.AddSingleton<TelegramSender>();
        services.AddSingleton<ITelegramSender>(provider => provider.GetRequiredService<TelegramSender>());
        return services;
    }
}
