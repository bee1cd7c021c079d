using System.Text.RegularExpressions;
using Atlas.Bot.Tests.Cli;

namespace Atlas.Bot.Tests.Container;

/// <summary>
/// The house rules for the image, checked on the Dockerfile's text (no Docker engine runs here; CI also runs a
/// Dockerfile linter from npm): pinned base images, a non-root user, a health check, the volume and the port.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(AtlasBotProcess.RepositoryRoot, "Dockerfile"))
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .ToArray();

    private static IEnumerable<string> Instructions(string name) =>
        Lines.Where(line => line.StartsWith(name + " ", StringComparison.OrdinalIgnoreCase));

    /// <summary>The image of a FROM line: the first word after FROM that is not a flag such as --platform.</summary>
    private static string Image(string from) =>
        from.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).First(word => !word.StartsWith("--", StringComparison.Ordinal));

    private static IEnumerable<string> FinalStage
    {
        get
        {
            var lastFrom = Array.FindLastIndex(Lines, line => line.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
            return Lines.Skip(lastFrom);
        }
    }

    [Fact]
    public void Every_base_image_names_a_tag_and_none_is_latest()
    {
        var images = Instructions("FROM").Select(Image).ToList();

        Assert.Equal(2, images.Count);
        Assert.All(images, image => Assert.Matches(ImageWithTag(), image));
        Assert.DoesNotContain(images, image => image.EndsWith(":latest", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void It_builds_on_the_NET_10_SDK_and_runs_on_a_chiseled_runtime()
    {
        var images = Instructions("FROM").Select(Image).ToList();

        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", images[0]);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", images[^1], StringComparison.Ordinal);
        Assert.Contains("chiseled", images[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_stage_runs_as_a_non_root_user()
    {
        var user = Assert.Single(FinalStage, line => line.StartsWith("USER ", StringComparison.OrdinalIgnoreCase));

        Assert.DoesNotMatch(RootUser(), user);
    }

    [Fact]
    public void The_image_checks_its_own_health_keeps_data_on_a_volume_and_exposes_8080()
    {
        Assert.Contains(FinalStage, line => line.StartsWith("HEALTHCHECK", StringComparison.Ordinal) && line.Contains("\"healthcheck\"", StringComparison.Ordinal));
        Assert.Contains(FinalStage, line => line == "VOLUME /data");
        Assert.Contains(FinalStage, line => line == "EXPOSE 8080");
    }

    [Fact]
    public void Metrics_and_health_stay_inside_the_container_on_a_port_that_is_not_exposed()
    {
        var text = string.Join('\n', FinalStage);

        Assert.Contains("Web__ManagementUrls=\"http://127.0.0.1:9090\"", text, StringComparison.Ordinal);
        // The health check names no URL: it asks where the configuration serves /healthz, so it follows an override.
        Assert.Contains(FinalStage, line => line.StartsWith("HEALTHCHECK", StringComparison.Ordinal) && line.EndsWith("CMD [\"/app/atlas-bot\", \"healthcheck\"]", StringComparison.Ordinal));
        Assert.Equal(["EXPOSE 8080"], Instructions("EXPOSE"));
    }

    [Fact]
    public void The_compose_example_publishes_the_public_port_alone()
    {
        var compose = File.ReadAllLines(Path.Combine(AtlasBotProcess.RepositoryRoot, "deploy", "compose.yaml")).Select(line => line.Trim()).ToList();

        var ports = compose.SkipWhile(line => line != "ports:").Skip(1).TakeWhile(line => line.StartsWith('-')).ToList();
        Assert.Single(ports);
        Assert.StartsWith("- \"8080:8080\"", ports[0], StringComparison.Ordinal);
        Assert.Contains("Web__ManagementUrls: http://127.0.0.1:9090", compose);
    }

    [Fact]
    public void The_compose_example_keeps_the_token_in_a_secret_and_the_data_on_a_volume()
    {
        var compose = File.ReadAllText(Path.Combine(AtlasBotProcess.RepositoryRoot, "deploy", "compose.yaml"));

        Assert.Contains("target: Telegram__BotToken", compose, StringComparison.Ordinal);
        Assert.Contains(":/data", compose, StringComparison.Ordinal);
        Assert.DoesNotContain("Telegram__BotToken:", compose, StringComparison.Ordinal);
        Assert.DoesNotContain(":latest", compose, StringComparison.Ordinal);
    }

    [Fact]
    public void The_replicas_example_shares_one_postgres_and_keeps_the_token_and_the_password_in_secrets()
    {
        var compose = File.ReadAllText(Path.Combine(AtlasBotProcess.RepositoryRoot, "deploy", "compose.replicas.yaml"));

        Assert.Contains("Storage__Provider: Postgres", compose, StringComparison.Ordinal);
        Assert.Contains("target: Telegram__BotToken", compose, StringComparison.Ordinal);
        Assert.Contains("target: Storage__Password", compose, StringComparison.Ordinal);
        Assert.Contains("POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password", compose, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"Password=|Storage__Password:|Telegram__BotToken:|:latest", compose);
        Assert.Equal(3, Regex.Count(compose, @"^  replica-\d:$", RegexOptions.Multiline));
        Assert.Equal(["- \"8081:8080\"", "- \"8082:8080\"", "- \"8083:8080\""],
            compose.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("- \"80", StringComparison.Ordinal)));
        Assert.Contains("Web__ManagementUrls: http://127.0.0.1:9090", compose, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^[a-z0-9./_-]+:[A-Za-z0-9._-]+(@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImageWithTag();

    [GeneratedRegex(@"^USER\s+(root|0)(:|\s|$)", RegexOptions.IgnoreCase)]
    private static partial Regex RootUser();
}
