using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Atlas.Bot.Feeds;

public static class FetchServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FeedFetcher"/> as a typed HTTP client, with <see cref="FetchOptions"/>
    /// bound from the "Fetch" section and validated at start-up.
    /// </summary>
    public static IHttpClientBuilder AddFeedFetcher(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<FetchOptions>()
            .BindConfiguration(FetchOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero, "Fetch:Timeout must be positive.")
            .Validate(
                o => o.MaxBytes is > 0 and <= FetchOptions.LargestMaxBytes,
                $"Fetch:MaxBytes must be between 1 and {FetchOptions.LargestMaxBytes}.")
            .ValidateOnStart();

        return services
            .AddHttpClient<FeedFetcher>(client =>
            {
                // FetchOptions.Timeout governs each fetch; a second, shorter clock here would
                // surface as an unexplained cancellation instead of "timed out after …".
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
                client.DefaultRequestHeaders.TryAddWithoutValidation(
                    "Accept",
                    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.All,
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = 5,
                // Connections are recycled here so DNS changes are seen; the factory's own
                // handler rotation is then redundant.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
    }

    /// <summary>Names the bot and where to complain, so site admins can tell it from scrapers.</summary>
    internal static string UserAgent { get; } =
        $"AtlasBot/{Version} (+https://atlas.az; Telegram distribution bot)";

    private static string Version =>
        typeof(FeedFetcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(FeedFetcher).Assembly.GetName().Version?.ToString()
        ?? "0";
}
