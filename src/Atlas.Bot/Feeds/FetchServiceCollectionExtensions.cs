using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Feeds;

public static class FetchServiceCollectionExtensions
{
    /// <summary>The HttpClient name of fetches of addresses nobody configured (<see cref="FeedSource.Untrusted"/>).</summary>
    public const string UntrustedClient = "feeds-untrusted";

    /// <summary>
    /// Registers <see cref="FeedFetcher"/> as a typed HTTP client, with <see cref="FetchOptions"/>
    /// bound from the "Fetch" section and validated at start-up; and the <see cref="FeedSource.Untrusted"/> source,
    /// whose fetches have a client, and so a connection pool, of their own.
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

        services.AddHttpClient(UntrustedClient, Configure)
            .ConfigurePrimaryHttpMessageHandler(provider =>
                Handler(provider.GetRequiredService<IOptions<FetchOptions>>().Value.AllowPrivateAddresses ? null : PublicAddresses.IsPublic))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddKeyedSingleton(FeedSource.Untrusted, (provider, _) => new FeedSource(
            provider.GetRequiredService<ITypedHttpClientFactory<FeedFetcher>>()
                .CreateClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient(UntrustedClient)),
            provider.GetRequiredService<IOptions<FetchOptions>>()));

        return services
            .AddHttpClient<FeedFetcher>(Configure)
            .ConfigurePrimaryHttpMessageHandler(() => Handler(allowed: null))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The handler of feed fetches. With <paramref name="allowed"/>, it connects only to the addresses that allows
    /// (<see cref="PublicAddresses.ConnectCallback"/>), redirects included, and never through a proxy: the check would
    /// see the proxy's address, not the site's. Requests are HTTP/1.1 or lower, so never QUIC, which would connect
    /// without the callback.
    /// </summary>
    internal static SocketsHttpHandler Handler(Func<IPAddress, bool>? allowed) => new()
    {
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        // Connections are recycled here so DNS changes are seen; the factory's own
        // handler rotation is then redundant.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseProxy = allowed is null,
        ConnectCallback = allowed is null ? null : PublicAddresses.ConnectCallback(allowed),
    };

    /// <summary>Names the bot and where to complain, so site admins can tell it from scrapers.</summary>
    internal static string UserAgent { get; } =
        $"AtlasBot/{Version} (+https://atlas.az; Telegram distribution bot)";

    private static void Configure(HttpClient client)
    {
        // FetchOptions.Timeout governs each fetch; a second, shorter clock here would
        // surface as an unexplained cancellation instead of "timed out after …".
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
        client.DefaultRequestHeaders.TryAddWithoutValidation(
            "Accept",
            "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8");
    }

    private static string Version =>
        typeof(FeedFetcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(FeedFetcher).Assembly.GetName().Version?.ToString()
        ?? "0";
}
