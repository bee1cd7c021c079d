namespace Atlas.Bot.Web;

/// <summary>Addresses as Kestrel reads <c>Urls</c>: separated by ';', such as http://0.0.0.0:8080, http://+:80 or http://localhost:5000.</summary>
public static class ListenUrls
{
    public static IReadOnlyList<string> Split(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The address, or null when Kestrel could not listen on it either.</summary>
    public static BindingAddress? Parse(string url)
    {
        try
        {
            return BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The ports <paramref name="urls"/> name (unparsable entries are left out).</summary>
    public static IReadOnlySet<int> Ports(string? urls) =>
        Split(urls).Select(Parse).OfType<BindingAddress>().Where(address => !address.IsUnixPipe).Select(address => address.Port).ToHashSet();

    /// <summary>
    /// How a process on this machine reaches <paramref name="address"/>: a wildcard host ("*", "+", "0.0.0.0", "[::]")
    /// listens on loopback too.
    /// </summary>
    public static Uri Local(BindingAddress address, string path)
    {
        var host = address.Host switch
        {
            "*" or "+" or "0.0.0.0" or "" => "127.0.0.1",
            "[::]" => "[::1]",
            var named => named,
        };
        return new Uri($"{address.Scheme}://{host}:{address.Port}{path}");
    }
}
