namespace Atlas.Bot.Feeds;

/// <summary>
/// Resolves a configured feed URL: http(s) stays as it is; a relative file path is read relative to
/// the folder of the configuration file, so the shipped config finds its bundled samples from any
/// working directory.
/// </summary>
public sealed class FeedUrls(string configFolder)
{
    public string Resolve(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file")
        {
            return url;
        }

        return Path.GetFullPath(Path.Combine(configFolder, url));
    }
}
