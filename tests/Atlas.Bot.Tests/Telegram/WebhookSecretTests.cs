using Atlas.Bot.Telegram;

namespace Atlas.Bot.Tests.Telegram;

public sealed class WebhookSecretTests
{
    [Theory]
    [InlineData("hook-Secret_42", true)]
    [InlineData("hook-Secret_4", false)]
    [InlineData("hook-Secret_42x", false)]
    [InlineData("HOOK-SECRET_42", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_the_exact_secret_matches(string? presented, bool matches) =>
        Assert.Equal(matches, new WebhookSecret("hook-Secret_42").Matches(presented));

    [Fact]
    public void An_empty_configured_secret_matches_nothing() =>
        Assert.False(new WebhookSecret("").Matches(""));
}
