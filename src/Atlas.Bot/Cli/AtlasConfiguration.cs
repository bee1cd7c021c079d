using Atlas.Bot.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Cli;

/// <summary>
/// Where configuration comes from, in rising precedence: the JSON file (config/appsettings.json or
/// --config), environment variables (Section__Key), then files in /run/secrets (Docker and
/// Kubernetes secrets, one key per file), then — in tests only — explicit overrides.
/// </summary>
public static class AtlasConfiguration
{
    /// <summary>The environment variable that names another folder of secret files (systemd credentials, tests).</summary>
    public const string SecretsFolderVariable = "ATLAS_BOT_SECRETS_FOLDER";

    /// <summary>/run/secrets, unless <see cref="SecretsFolderVariable"/> names another folder.</summary>
    public static string SecretsFolder =>
        Environment.GetEnvironmentVariable(SecretsFolderVariable) is { Length: > 0 } folder ? folder : "/run/secrets";

    /// <summary>Adds the sources to <paramref name="configuration"/>; returns the folder of the JSON file.</summary>
    public static string AddSources(IConfigurationBuilder configuration, string? configPath, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var file = Path.GetFullPath(configPath ?? DefaultConfigFile());
        configuration.AddJsonFile(file, optional: configPath is null && !File.Exists(file), reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        configuration.AddKeyPerFile(SecretsFolder, optional: true);
        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides);
        }

        return Path.GetDirectoryName(file)!;
    }

    /// <summary>
    /// The configuration alone, for verbs that read the database without running the service; null (after one
    /// "config error" line on <paramref name="error"/>) when the file cannot be read.
    /// </summary>
    public static async Task<IConfiguration?> LoadAsync(string? configPath, TextWriter error)
    {
        var configuration = new ConfigurationManager();
        try
        {
            AddSources(configuration, configPath);
            return configuration;
        }
        catch (Exception exception) when (exception is FileNotFoundException or InvalidDataException or FormatException)
        {
            await error.WriteLineAsync($"config error: cannot read the configuration file: {exception.Message}");
            return null;
        }
    }

    /// <summary>
    /// The database the configuration names, for verbs that read it without running the service; null (after one
    /// line on <paramref name="error"/>, prefixed with <paramref name="verb"/>) when there is no database yet.
    /// </summary>
    public static async Task<Store?> ExistingStoreAsync(IConfiguration configuration, string verb, TextWriter error)
    {
        var store = new Store(Options.Create(configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions()));
        if (await store.ExistsAsync(CancellationToken.None))
        {
            return store;
        }

        await store.DisposeAsync();
        await error.WriteLineAsync($"{verb}: there is no database at {store.DataSource}");
        return null;
    }

    /// <summary>config/appsettings.json under the working directory, else next to the program (the container's layout).</summary>
    private static string DefaultConfigFile()
    {
        var local = Path.Combine("config", "appsettings.json");
        return File.Exists(local) ? local : Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json");
    }
}
