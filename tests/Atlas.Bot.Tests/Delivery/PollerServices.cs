using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Feeds.WebSub;
using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Tests.Delivery;

/// <summary>The feed poller and what it works with (fetcher, outbox, alerts, WebSub subscriber), on a test's own store, clock and feeds.</summary>
internal static class PollerServices
{
    public static IServiceCollection AddPoller(this IServiceCollection services, Store store, TimeProvider time, FeedsOptions feeds, TrackingOptions tracking)
    {
        services.AddSingleton(time);
        services.AddFeedFetcher();
        services.AddSingleton<FeedSource>();
        services.AddSingleton(store);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Outbox>();
        services.AddMetrics();
        services.AddSingleton<BotMetrics>();
        services.AddSingleton<AdminAlerts>();
        services.AddSingleton(Options.Create(feeds));
        services.AddSingleton(Options.Create(tracking));
        services.AddSingleton(new FeedUrls(Directory.GetCurrentDirectory()));
        services.AddHttpClient<WebSubSubscriber>();
        services.AddSingleton<FeedPoller>();
        return services;
    }
}
