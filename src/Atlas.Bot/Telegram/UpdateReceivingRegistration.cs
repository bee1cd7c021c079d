using Microsoft.Extensions.Options;

namespace Atlas.Bot.Telegram;

public static class UpdateReceivingRegistration
{
    /// <summary>
    /// How updates arrive. Always: the inbox, its signal and the bot's identity (harmless without Telegram, so the update
    /// processor resolves in every mode). Polling: getMe and the poller. Webhook: getMe, setWebhook at start and the
    /// receiver behind <c>MapTelegramWebhook</c>. Off, and a dry run: nothing that talks to Telegram.
    /// </summary>
    public static IServiceCollection AddUpdateReceiving(this IServiceCollection services, UpdateMode mode)
    {
        services.AddOptions<UpdateReceivingOptions>();
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<UpdateInbox>();
        services.AddSingleton<BotIdentity>();
        if (mode == UpdateMode.Off)
        {
            return services;
        }

        services.AddHostedService<BotIdentityLoader>();
        if (mode == UpdateMode.Polling)
        {
            services.AddHostedService<UpdatePoller>();
            return services;
        }

        services.AddSingleton(provider => new WebhookSecret(provider.GetRequiredService<IOptions<TelegramOptions>>().Value.WebhookSecret ?? ""));
        services.AddSingleton<WebhookReceiver>();
        services.AddHostedService<WebhookRegistration>();
        return services;
    }
}
