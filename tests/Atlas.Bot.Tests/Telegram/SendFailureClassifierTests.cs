using Atlas.Bot.Telegram;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Xunit;

namespace Atlas.Bot.Tests.Telegram;

public sealed class SendFailureClassifierTests
{
    [Theory]
    [InlineData(400, "Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 0", RejectKind.Formatting)]
    [InlineData(400, "Bad Request: message is too long", RejectKind.Formatting)]
    [InlineData(400, "Bad Request: message caption is too long", RejectKind.Formatting)]
    [InlineData(400, "Bad Request: message text is empty", RejectKind.Formatting)]
    [InlineData(400, "Bad Request: wrong file identifier/HTTP URL specified", RejectKind.Photo)]
    [InlineData(400, "Bad Request: failed to get HTTP URL content", RejectKind.Photo)]
    [InlineData(400, "Bad Request: wrong type of the web page content", RejectKind.Photo)]
    [InlineData(400, "Bad Request: IMAGE_PROCESS_FAILED", RejectKind.Photo)]
    [InlineData(400, "Bad Request: PHOTO_INVALID_DIMENSIONS", RejectKind.Photo)]
    [InlineData(400, "Bad Request: BUTTON_URL_INVALID", RejectKind.Other)]
    [InlineData(400, "Bad Request: message thread not found", RejectKind.Topic)]
    [InlineData(400, "Bad Request: TOPIC_CLOSED", RejectKind.Topic)]
    [InlineData(400, "Bad Request: TOPIC_DELETED", RejectKind.Topic)]
    public void A_400_is_a_rejection_of_its_kind(int code, string description, RejectKind kind) =>
        Assert.Equal(new SendResult.Rejected(kind, description), SendFailureClassifier.FromApi(code, description));

    [Theory]
    [InlineData(403, "Forbidden: bot was blocked by the user")]
    [InlineData(403, "Forbidden: bot is not a member of the channel chat")]
    [InlineData(400, "Bad Request: chat not found")]
    [InlineData(403, "Forbidden: bot was kicked from the group chat")]
    [InlineData(400, "Bad Request: not enough rights to send text messages to the chat")]
    [InlineData(400, "Bad Request: need administrator rights in the channel chat")]
    public void Losing_access_to_a_chat_is_blocked(int code, string description) =>
        Assert.Equal(new SendResult.Blocked(description), SendFailureClassifier.FromApi(code, description));

    [Theory]
    [InlineData(17, 17)]
    [InlineData(null, 5)]
    public void A_429_says_when_to_retry(int? retryAfter, int seconds) =>
        Assert.Equal(
            new SendResult.RetryAfter(TimeSpan.FromSeconds(seconds)),
            SendFailureClassifier.FromApi(429, "Too Many Requests: retry after 17", retryAfter));

    [Fact]
    public void A_migration_names_the_new_chat() =>
        Assert.Equal(
            new SendResult.ChatMigrated(-1001234),
            SendFailureClassifier.Classify(new ApiRequestException(
                "Bad Request: group chat was upgraded to a supergroup chat", 400, new ResponseParameters { MigrateToChatId = -1001234 })));

    [Theory]
    [InlineData(500, "Internal Server Error")]
    [InlineData(502, "Bad Gateway")]
    [InlineData(401, "Unauthorized")]
    [InlineData(409, "Conflict: terminated by other getUpdates request")]
    public void Server_errors_and_configuration_errors_keep_the_message_for_later(int code, string description) =>
        Assert.Equal(new SendResult.Failed(description), SendFailureClassifier.FromApi(code, description));

    [Fact]
    public void A_timeout_is_a_failure() =>
        Assert.IsType<SendResult.Failed>(SendFailureClassifier.Classify(new TaskCanceledException()));

    [Fact]
    public void A_network_error_never_reveals_the_token()
    {
        var exception = new RequestException(
            "Exception during making request",
            new HttpRequestException("Error while copying content for https://api.telegram.org/bot123456:AAE-x_y/sendMessage"));

        var result = Assert.IsType<SendResult.Failed>(SendFailureClassifier.Classify(exception));

        Assert.DoesNotContain("123456:AAE-x_y", result.Reason, StringComparison.Ordinal);
        Assert.Contains("/bot<redacted>/sendMessage", result.Reason, StringComparison.Ordinal);
    }
}
