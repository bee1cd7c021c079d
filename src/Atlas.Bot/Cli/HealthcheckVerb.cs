using Atlas.Bot.Web;

namespace Atlas.Bot.Cli;

/// <summary>
/// <c>atlas-bot healthcheck [url]</c>: the container's HEALTHCHECK (the runtime image has no curl).
/// Exit 0 when /healthz answers 200, else 1. Without a URL it asks where the configuration says /healthz is served.
/// </summary>
public static class HealthcheckVerb
{
    public const string DefaultUrl = "http://127.0.0.1:8080/healthz";

    public static async Task<int> RunAsync(Invocation invocation, TextWriter error, CancellationToken ct)
    {
        var url = invocation.Target;
        if (url is null)
        {
            if (await AtlasConfiguration.LoadAsync(invocation.ConfigPath, error) is not { } configuration)
            {
                return 1;
            }

            url = UrlFor(configuration).ToString();
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"healthcheck: '{url}' is not an http(s) URL");
            return 1;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(uri, ct);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await error.WriteLineAsync($"healthcheck: {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            return 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"healthcheck: {url} did not answer: {exception.Message}");
            return 1;
        }
    }

    /// <summary>
    /// /healthz on the first management address when Web:ManagementUrls is set (the public port answers 404 for it
    /// then), else on the first of Urls; a wildcard host is asked on loopback.
    /// </summary>
    public static Uri UrlFor(IConfiguration configuration)
    {
        var management = configuration[$"{WebOptions.Section}:{nameof(WebOptions.ManagementUrls)}"];
        var urls = string.IsNullOrWhiteSpace(management) ? configuration["Urls"] : management;
        return ListenUrls.Split(urls).Select(ListenUrls.Parse).FirstOrDefault() is { IsUnixPipe: false } address
            ? ListenUrls.Local(address, "/healthz")
            : new Uri(DefaultUrl);
    }
}
