namespace Atlas.Bot.Cli;

/// <summary>
/// Checks the whole configuration before anything starts and names every problem by its key, so that a
/// bad deployment stops with one readable line per mistake instead of a stack trace. The rules are the options'
/// own validators, registered once (AddAtlasBotOptions) and run here from the same registrations.
/// </summary>
public static class ConfigCheck
{
    public static IReadOnlyList<string> Problems(IConfiguration configuration, bool dryRun)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddAtlasBotOptions(configuration, dryRun);
        using var provider = services.BuildServiceProvider();
        return [.. provider.GetServices<CheckedOptions>().SelectMany(options => options.Problems(provider))];
    }
}
