using Microsoft.Extensions.Options;

namespace Atlas.Bot.Telegram;

/// <summary>
/// The section "Telegram" when the bot talks to Telegram (not in a dry run): the token, the annotations, and the
/// webhook's URL and secret. Every problem is named at once, the missing token's first. No failure echoes the
/// token: a near-miss is still mostly a secret.
/// </summary>
/// <param name="tokenFile">The secret file the token may be put in, named in the missing token's message.</param>
public sealed class TelegramOptionsValidator(string tokenFile) : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions options)
    {
        var problems = new List<string>();
        var tokenMissing = string.IsNullOrWhiteSpace(options.BotToken);
        if (tokenMissing)
        {
            problems.Add($"Telegram:BotToken is required (set Telegram__BotToken or the secret file {tokenFile}), unless you run with --dry-run.");
        }

        problems.AddRange(OptionsChecks.AnnotationProblems(options, TelegramOptions.Section, except: tokenMissing ? nameof(TelegramOptions.BotToken) : null));
        if (options.Updates == UpdateMode.Webhook)
        {
            if (!Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
            {
                problems.Add($"Telegram:WebhookUrl '{options.WebhookUrl}' must be the public https URL Telegram posts updates to (Telegram:Updates is Webhook).");
            }

            if (string.IsNullOrEmpty(options.WebhookSecret))
            {
                problems.Add("Telegram:WebhookSecret is required when Telegram:Updates is Webhook: without it anyone could post updates to the bot.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
