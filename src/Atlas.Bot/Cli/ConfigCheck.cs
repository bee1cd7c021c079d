using System.ComponentModel.DataAnnotations;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Web;

namespace Atlas.Bot.Cli;

/// <summary>
/// Checks the whole configuration before anything starts and names every problem by its key, so that a
/// bad deployment stops with one readable line per mistake instead of a stack trace.
/// </summary>
public static class ConfigCheck
{
    public static IReadOnlyList<string> Problems(IConfiguration configuration, bool dryRun)
    {
        var problems = new List<string>();

        var feeds = Bind<FeedsOptions>(configuration, null, problems);
        if (feeds is not null && new FeedsOptionsValidator().Validate(null, feeds) is { Failed: true } result)
        {
            problems.AddRange(result.Failures);
        }

        CheckAnnotations(Bind<DeliveryOptions>(configuration, DeliveryOptions.Section, problems), DeliveryOptions.Section, problems);
        CheckAnnotations(Bind<RateLimits>(configuration, DeliveryOptions.Section, problems), DeliveryOptions.Section, problems);
        CheckAnnotations(Bind<StorageOptions>(configuration, StorageOptions.Section, problems), StorageOptions.Section, problems);
        CheckAnnotations(Bind<FetchOptions>(configuration, FetchOptions.Section, problems), FetchOptions.Section, problems);
        CheckStats(Bind<StatsOptions>(configuration, StatsOptions.Section, problems), Bind<TrackingOptions>(configuration, TrackingOptions.Section, problems), problems);
        CheckWeb(Bind<WebOptions>(configuration, WebOptions.Section, problems), problems);

        // A dry run never talks to Telegram, so it needs no token and receives no updates.
        if (!dryRun)
        {
            var tokenMissing = string.IsNullOrWhiteSpace(configuration["Telegram:BotToken"]);
            if (tokenMissing)
            {
                problems.Add($"Telegram:BotToken is required (set Telegram__BotToken or the secret file {Path.Combine(AtlasConfiguration.SecretsFolder, "Telegram__BotToken")}), unless you run with --dry-run.");
            }

            // The other Telegram settings are named too, so that one start lists every problem, not the token's alone.
            if (Bind<TelegramOptions>(configuration, TelegramOptions.Section, problems) is { } telegram)
            {
                // The annotation's message never echoes the value: a near-miss is still mostly a secret.
                CheckAnnotations(telegram, TelegramOptions.Section, problems, except: tokenMissing ? nameof(TelegramOptions.BotToken) : null);
                CheckWebhook(telegram, problems);
            }
        }

        return problems;
    }

    private static void CheckStats(StatsOptions? stats, TrackingOptions? tracking, List<string> problems)
    {
        CheckAnnotations(stats, StatsOptions.Section, problems);
        if (stats is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(stats.TimeZone, out _))
        {
            problems.Add($"Stats:TimeZone '{stats.TimeZone}' is not a known time zone (for example Asia/Baku).");
        }

        if (tracking?.PublicBaseUrl is { Length: > 0 } publicBase
            && !(Uri.TryCreate(publicBase, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            problems.Add($"Tracking:PublicBaseUrl '{publicBase}' must be the bot's public http(s) address, e.g. https://bot.atlas.az.");
        }
    }

    private static void CheckWeb(WebOptions? web, List<string> problems)
    {
        for (var i = 0; i < (web?.TrustedProxies.Count ?? 0); i++)
        {
            if (TrustedProxies.Parse(web!.TrustedProxies[i]) is null)
            {
                problems.Add($"Web:TrustedProxies:{i} '{web.TrustedProxies[i]}' must be a proxy's IP address or network, e.g. 172.18.0.2 or 10.0.0.0/8.");
            }
        }
    }

    private static void CheckWebhook(TelegramOptions telegram, List<string> problems)
    {
        if (telegram.Updates != UpdateMode.Webhook)
        {
            return;
        }

        if (!Uri.TryCreate(telegram.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add($"Telegram:WebhookUrl '{telegram.WebhookUrl}' must be the public https URL Telegram posts updates to (Telegram:Updates is Webhook).");
        }

        if (string.IsNullOrEmpty(telegram.WebhookSecret))
        {
            problems.Add("Telegram:WebhookSecret is required when Telegram:Updates is Webhook: without it anyone could post updates to the bot.");
        }
    }

    private static T? Bind<T>(IConfiguration configuration, string? section, List<string> problems)
        where T : new()
    {
        try
        {
            var options = new T();
            (section is null ? configuration : configuration.GetSection(section)).Bind(options);
            return options;
        }
        catch (InvalidOperationException exception)
        {
            // The binder's message names the key and the value it could not convert.
            problems.Add(exception.Message);
            return default;
        }
    }

    /// <param name="except">A member whose problem is already named (a missing token), so it is not named twice.</param>
    private static void CheckAnnotations(object? options, string section, List<string> problems, string? except = null)
    {
        if (options is null)
        {
            return;
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results.Where(result => except is null || !result.MemberNames.Contains(except)))
        {
            problems.Add($"{section}:{string.Join(",", result.MemberNames)}: {result.ErrorMessage}");
        }
    }
}
