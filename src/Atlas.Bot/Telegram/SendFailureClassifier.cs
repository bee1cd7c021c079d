using Telegram.Bot.Exceptions;

namespace Atlas.Bot.Telegram;

/// <summary>Turns what the Telegram client threw into the <see cref="SendResult"/> the dispatcher acts on.</summary>
public static class SendFailureClassifier
{
    /// <summary>Telegram sends no retry_after with some 429s; five seconds is what it usually asks for.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    private static readonly string[] NoAccess =
    [
        "chat not found", "bot was kicked", "bot was blocked", "not enough rights", "need administrator rights",
        "bot is not a member", "user is deactivated", "have no rights to send", "CHAT_WRITE_FORBIDDEN",
    ];

    private static readonly string[] Formatting =
    [
        "can't parse entities", "message is too long", "caption is too long", "text is empty", "text must be non-empty",
    ];

    /// <summary>
    /// A topic deleted (or never there, or a thread sent to a chat that is no forum) and a topic closed. Checked first:
    /// "thread not found" must not read as the chat's "not found", nor any of these as a photo's problem.
    /// </summary>
    private static readonly string[] Topic = ["message thread not found", "TOPIC_CLOSED", "TOPIC_DELETED"];

    private static readonly string[] Photo =
    [
        "wrong file identifier/HTTP URL", "failed to get HTTP URL content", "wrong type of the web page content",
        "IMAGE_PROCESS_FAILED", "PHOTO_INVALID_DIMENSIONS", "photo",
    ];

    /// <summary>True for the failures <see cref="Classify"/> knows: those of any Bot API call (errors, transport, timeouts).</summary>
    public static bool IsSendFailure(Exception exception) => ApiFailure.IsApiFailure(exception);

    /// <summary>
    /// Classifies a failed send. Call it for exceptions that <see cref="IsSendFailure"/> accepts and that were not caused
    /// by the caller's own cancellation; a cancellation reaching here is a timeout.
    /// </summary>
    public static SendResult Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ApiRequestException api => FromApi(api.ErrorCode, TokenRedaction.Scrub(api.Message), api.Parameters?.RetryAfter, api.Parameters?.MigrateToChatId),
            OperationCanceledException => new SendResult.Failed("Telegram did not answer in time"),
            _ => new SendResult.Failed(TokenRedaction.Scrub(Describe(exception))),
        };
    }

    /// <summary>Classifies a Bot API error from its error_code, description and parameters.</summary>
    public static SendResult FromApi(int errorCode, string description, int? retryAfter = null, long? migrateToChatId = null)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (migrateToChatId is { } newChatId)
        {
            return new SendResult.ChatMigrated(newChatId);
        }

        if (errorCode == 429)
        {
            return new SendResult.RetryAfter(retryAfter is > 0 ? TimeSpan.FromSeconds(retryAfter.Value) : DefaultRetryAfter);
        }

        if (errorCode == 400 && Mentions(description, Topic))
        {
            return new SendResult.Rejected(RejectKind.Topic, description);
        }

        if (errorCode == 403 || Mentions(description, NoAccess))
        {
            return new SendResult.Blocked(description);
        }

        if (errorCode != 400)
        {
            // 5xx, and also 401/404/409 (a bad token or a webhook conflict): nothing wrong with the message, keep it.
            return new SendResult.Failed(description);
        }

        var kind = Mentions(description, Formatting) ? RejectKind.Formatting
            : Mentions(description, Photo) ? RejectKind.Photo
            : RejectKind.Other;
        return new SendResult.Rejected(kind, description);
    }

    private static bool Mentions(string description, string[] markers) =>
        markers.Any(marker => description.Contains(marker, StringComparison.OrdinalIgnoreCase));

    /// <summary>The client wraps transport errors; the inner message says what actually happened.</summary>
    private static string Describe(Exception exception) =>
        exception.InnerException is { } inner ? $"{exception.Message} ({inner.Message})" : exception.Message;
}
