using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Atlas.Bot.Stats;

public static class OpensRegistration
{
    /// <summary>
    /// Counting opens of tracked links (GET /r/{code}, see MapRedirects): the link cache, the crawler and
    /// repeat filters, the buffer and the background writer. Needs <see cref="Storage.Store"/> and <see cref="BotMetrics"/>.
    /// </summary>
    public static IServiceCollection AddOpenTracking(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TrackedLinks>();
        services.AddSingleton<RepeatFilter>();
        services.AddSingleton<OpenBuffer>();
        services.AddSingleton<OpenCounter>();
        services.AddHostedService<OpenRecorder>();
        return services;
    }
}
