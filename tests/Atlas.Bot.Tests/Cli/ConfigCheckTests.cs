using System.Globalization;
using System.Text.Json.Nodes;
using Atlas.Bot.Cli;

namespace Atlas.Bot.Tests.Cli;

/// <summary>
/// A bad configuration stops `atlas-bot run` before anything starts: one "config error: ..." line a problem, exit code 2.
/// Through RunVerb.RunAsync, the entry the verb uses, with a configuration file as ops write it.
/// </summary>
public sealed class ConfigCheckTests : IDisposable
{
    private const string Token = "123456:ABC-def_ghi";

    private const string WebhookSecretRequired =
        "config error: Telegram:WebhookSecret is required when Telegram:Updates is Webhook: without it anyone could post updates to the bot.";

    // Should a check ever let a bad configuration through, the service runs until this ends it (and the test fails on the exit code).
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(10);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("Feeds:1:TimeZone", "Europe/Baku")]
    [InlineData("Stats:TimeZone", "Baku")]
    public async Task An_unknown_time_zone_is_named_and_stops_the_start(string key, string zone)
    {
        var (exitCode, lines) = await RunAsync(dryRun: true, (key, zone));

        Assert.Equal(2, exitCode);
        Assert.Equal([$"config error: {key} '{zone}' is not a known time zone (for example Asia/Baku)."], lines);
    }

    [Fact]
    public async Task Two_feeds_with_one_id_are_named_and_stop_the_start()
    {
        var (exitCode, lines) = await RunAsync(dryRun: true, ("Feeds:1:Id", "atlas-az"));

        Assert.Equal(2, exitCode);
        Assert.Equal(["config error: Feeds:1:Id 'atlas-az' is used by another feed."], lines);
    }

    [Fact]
    public async Task Webhook_mode_without_a_secret_is_named_and_stops_the_start()
    {
        var (exitCode, lines) = await RunAsync(
            dryRun: false,
            ("Telegram:BotToken", Token), ("Telegram:Updates", "Webhook"), ("Telegram:WebhookUrl", "https://bot.atlas.az/telegram"));

        Assert.Equal(2, exitCode);
        Assert.Equal([WebhookSecretRequired], lines);
    }

    [Fact]
    public async Task Webhook_mode_without_a_secret_is_named_even_before_the_token_is_set()
    {
        var (exitCode, lines) = await RunAsync(
            dryRun: false, ("Telegram:Updates", "Webhook"), ("Telegram:WebhookUrl", "https://bot.atlas.az/telegram"));

        Assert.Equal(2, exitCode);
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("config error: Telegram:BotToken is required", lines[0], StringComparison.Ordinal);
        Assert.Equal(WebhookSecretRequired, lines[1]);
    }

    [Theory]
    [InlineData("https://127.0.0.1:9090", "config error: Web:ManagementUrls 'https://127.0.0.1:9090' must be an http address with a port, e.g. http://127.0.0.1:9090.")]
    [InlineData("http://127.0.0.1:0", "config error: Web:ManagementUrls 'http://127.0.0.1:0' must be an http address with a port, e.g. http://127.0.0.1:9090.")]
    [InlineData("http://127.0.0.1:9090/admin", "config error: Web:ManagementUrls 'http://127.0.0.1:9090/admin' must be an http address with a port, e.g. http://127.0.0.1:9090.")]
    [InlineData("127.0.0.1:9090", "config error: Web:ManagementUrls '127.0.0.1:9090' must be an http address with a port, e.g. http://127.0.0.1:9090.")]
    [InlineData("http://127.0.0.1:9090;http://localhost:8080", "config error: Web:ManagementUrls 'http://localhost:8080' uses port 8080, which Urls serves to the public: give the management endpoints a port of their own, e.g. http://127.0.0.1:9090.")]
    public async Task A_management_address_that_is_not_plain_http_on_a_port_of_its_own_is_named(string managementUrls, string problem)
    {
        var (exitCode, lines) = await RunAsync(dryRun: true, ("Urls", "http://0.0.0.0:8080"), ("Web:ManagementUrls", managementUrls));

        Assert.Equal(2, exitCode);
        Assert.Equal([problem], lines);
    }

    [Fact]
    public async Task Every_problem_is_named_at_once_a_value_the_binder_cannot_convert_among_them()
    {
        var (exitCode, lines) = await RunAsync(
            dryRun: true,
            ("Delivery:MaxAttempts", "ten"),
            ("Stats:TimeZone", "Baku"),
            ("Tracking:PublicBaseUrl", "ftp://bot.atlas.az"),
            ("Alerts:FeedFailures", "0"),
            ("Web:ManagementUrls", "http://0.0.0.0"));

        Assert.Equal(2, exitCode);
        Assert.Equal(5, lines.Count);
        Assert.Contains(lines, line => line.Contains("'ten'", StringComparison.Ordinal) && line.Contains("Delivery:MaxAttempts", StringComparison.Ordinal));
        Assert.Contains("config error: Stats:TimeZone 'Baku' is not a known time zone (for example Asia/Baku).", lines);
        Assert.Contains("config error: Tracking:PublicBaseUrl 'ftp://bot.atlas.az' must be the bot's public http(s) address, e.g. https://bot.atlas.az.", lines);
        Assert.Contains("config error: Alerts:FeedFailures: The field FeedFailures must be between 1 and 1000.", lines);
        Assert.Contains(lines, line => line.StartsWith("config error: Web:ManagementUrls 'http://0.0.0.0'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secret_file_wins_over_the_environment_in_the_real_program()
    {
        var secrets = Directory.CreateDirectory(Path.Combine(_folder.Path, "secrets")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secrets, "Telegram__BotToken"), Token);
        await File.WriteAllTextAsync(Path.Combine(secrets, "Stats__TimeZone"), "Mars/Olympus_Mons");
        var environment = new Dictionary<string, string>
        {
            [AtlasConfiguration.SecretsFolderVariable] = secrets,
            // Both lose to the secret files: the bad token is never checked, the good zone is never used.
            ["Telegram__BotToken"] = "not-a-token",
            ["Stats__TimeZone"] = "Asia/Baku",
        };

        using var bot = AtlasBotProcess.Start(_folder.Path, environment, "run", "--config", await WriteConfigAsync([]));

        Assert.Equal(2, await bot.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(
            ["config error: Stats:TimeZone 'Mars/Olympus_Mons' is not a known time zone (for example Asia/Baku)."],
            Lines(bot.Error));
    }

    private async Task<(int ExitCode, IReadOnlyList<string> Lines)> RunAsync(bool dryRun, params (string Key, string Value)[] settings)
    {
        var config = await WriteConfigAsync(settings);
        using var error = new StringWriter();
        using var ceiling = new CancellationTokenSource(Ceiling);

        var exitCode = await RunVerb.RunAsync(new Invocation(Verb.Run, DryRun: dryRun, ConfigPath: config), error, ceiling.Token);

        return (exitCode, Lines(error.ToString()));
    }

    /// <summary>
    /// A configuration that passes every check (two sample feeds, SQLite and the HTTP port in the test's folder, a Bot API
    /// address where nothing answers), then <paramref name="settings"/> ("Feeds:1:Id" style keys) on top.
    /// </summary>
    private async Task<string> WriteConfigAsync((string Key, string Value)[] settings)
    {
        var samples = Path.Combine(AtlasBotProcess.RepositoryRoot, "config", "samples");
        var config = new JsonObject
        {
            ["Telegram"] = new JsonObject { ["ApiBaseUrl"] = "http://127.0.0.1:9" },
            ["Storage"] = new JsonObject { ["ConnectionString"] = $"Data Source={Path.Combine(_folder.Path, "atlas-bot.db")}" },
            ["Urls"] = "http://127.0.0.1:0",
            ["Feeds"] = new JsonArray(
                new JsonObject { ["Id"] = "atlas-az", ["Url"] = Path.Combine(samples, "az.xml"), ["Language"] = "az", ["Channels"] = new JsonArray("@atlas_center_az") },
                new JsonObject { ["Id"] = "atlas-en", ["Url"] = Path.Combine(samples, "en.xml"), ["Language"] = "en", ["Channels"] = new JsonArray("@atlas_center_en") }),
        };
        foreach (var (key, value) in settings)
        {
            var path = key.Split(':');
            var parent = path[..^1].Aggregate((JsonNode)config, (node, part) => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? node[index]! : node[part] ??= new JsonObject());
            parent[path[^1]] = value;
        }

        var file = Path.Combine(_folder.Path, "appsettings.json");
        await File.WriteAllTextAsync(file, config.ToJsonString());
        return file;
    }

    private static List<string> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
