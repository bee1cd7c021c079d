using Atlas.Bot.Telegram;

namespace Atlas.Bot.Tests.Telegram;

public sealed class TelegramOptionsValidatorTests
{
    private const string TokenFile = "/run/secrets/Telegram__BotToken";

    [Theory]
    [InlineData(null, "Telegram:BotToken is required (set Telegram__BotToken or the secret file /run/secrets/Telegram__BotToken), unless you run with --dry-run.")]
    [InlineData("", "Telegram:BotToken is required (set Telegram__BotToken or the secret file /run/secrets/Telegram__BotToken), unless you run with --dry-run.")]
    [InlineData("not-a-token", "Telegram:BotToken: does not look like a bot token (digits, a colon, then letters and digits, as @BotFather gives it).")]
    public void A_missing_or_malformed_token_is_named_once_without_its_value(string? token, string problem)
    {
        var result = new TelegramOptionsValidator(TokenFile).Validate(null, new TelegramOptions { BotToken = token });

        Assert.Equal([problem], result.Failures);
    }

    [Fact]
    public void Webhook_mode_needs_a_public_https_url_and_a_secret()
    {
        var options = new TelegramOptions { BotToken = "123456:ABC-def_ghi", Updates = UpdateMode.Webhook, WebhookUrl = "http://bot.atlas.az/telegram" };

        var result = new TelegramOptionsValidator(TokenFile).Validate(null, options);

        Assert.Equal(
            [
                "Telegram:WebhookUrl 'http://bot.atlas.az/telegram' must be the public https URL Telegram posts updates to (Telegram:Updates is Webhook).",
                "Telegram:WebhookSecret is required when Telegram:Updates is Webhook: without it anyone could post updates to the bot.",
            ],
            result.Failures);
    }

    [Fact]
    public void A_complete_configuration_passes()
    {
        var options = new TelegramOptions
        {
            BotToken = "123456:ABC-def_ghi",
            Updates = UpdateMode.Webhook,
            WebhookUrl = "https://bot.atlas.az/telegram",
            WebhookSecret = "s3cret_value",
        };

        Assert.True(new TelegramOptionsValidator(TokenFile).Validate(null, options).Succeeded);
    }
}
