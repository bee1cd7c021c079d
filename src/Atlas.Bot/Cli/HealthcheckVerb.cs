namespace Atlas.Bot.Cli;

/// <summary>
/// <c>atlas-bot healthcheck [url]</c>: the container's HEALTHCHECK (the runtime image has no curl).
/// Exit 0 when /healthz answers 200, else 1.
/// </summary>
public static class HealthcheckVerb
{
    public const string DefaultUrl = "http://127.0.0.1:8080/healthz";

    public static async Task<int> RunAsync(Invocation invocation, TextWriter error, CancellationToken ct)
    {
        var url = invocation.Target ?? DefaultUrl;
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
}
