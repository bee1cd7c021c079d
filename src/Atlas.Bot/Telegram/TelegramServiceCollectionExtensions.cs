using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Atlas.Bot.Telegram;

public static class TelegramServiceCollectionExtensions
{
    /// <summary>The HttpClient name of the Bot API client; its request logging is off because URLs contain the token.</summary>
    public const string HttpClientName = "telegram";

    /// <summary>
    /// Registers <see cref="ITelegramBotClient"/> (over the "telegram" HttpClient, automatic 429 retries off),
    /// <see cref="TelegramSender"/> and the singleton <see cref="RateGovernor"/>. Binding the "Telegram" section to
    /// <see cref="TelegramOptions"/> (and optionally <see cref="RateLimits"/>) is the host's job; the options are validated at start.
    /// </summary>
    public static IServiceCollection AddTelegramClient(this IServiceCollection services)
    {
        services.AddOptions<TelegramOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimits>().ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(HttpClientName)
            .RemoveAllLoggers()
            .AddTypedClient<ITelegramBotClient>((http, provider) =>
            {
                var options = provider.GetRequiredService<IOptions<TelegramOptions>>().Value;
                // RetryThreshold = 0: the client must not sleep on a 429 by itself; RateGovernor owns pacing.
                return new TelegramBotClient(new TelegramBotClientOptions(options.BotToken!, options.ApiBaseUrl) { RetryThreshold = 0 }, http);
            });
        services.AddTransient<TelegramSender>();
        services.AddSingleton<RateGovernor>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
