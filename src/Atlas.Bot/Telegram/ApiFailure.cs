using Telegram.Bot.Exceptions;

namespace Atlas.Bot.Telegram;

/// <summary>What kind of trouble a Bot API call (other than a send) ran into; each kind is logged once per streak.</summary>
public enum ApiFailureKind
{
    /// <summary>401: the token is wrong or revoked; retrying cannot help.</summary>
    Unauthorized,

    /// <summary>409: another process polls with the same token, or a webhook is set while polling.</summary>
    Conflict,

    TooManyRequests,
    ServerError,

    /// <summary>Any other Bot API error (400, 403, 404 …).</summary>
    Refused,

    Timeout,

    /// <summary>No answer at all: DNS, refused connection, TLS, a reset.</summary>
    Unreachable,
}

/// <summary>A failed Bot API call in plain words, never with the token.</summary>
public sealed record ApiFailure(ApiFailureKind Kind, string Reason, TimeSpan? RetryAfter = null)
{
    /// <summary>True for what <see cref="From"/> knows: Bot API errors, transport errors and timeouts.</summary>
    public static bool IsApiFailure(Exception exception) =>
        exception is RequestException or HttpRequestException or OperationCanceledException;

    /// <summary>Classifies an exception that <see cref="IsApiFailure"/> accepts and that the caller's own cancellation did not cause.</summary>
    public static ApiFailure From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ApiRequestException { ErrorCode: 401 } => new(ApiFailureKind.Unauthorized, "the bot token was refused (401 Unauthorized)"),
            ApiRequestException { ErrorCode: 409 } api => new(ApiFailureKind.Conflict,
                $"another process is receiving updates for this bot, or a webhook is set ({Scrub(api.Message)})"),
            ApiRequestException { ErrorCode: 429 } api => new(ApiFailureKind.TooManyRequests, $"Telegram asked to slow down ({Scrub(api.Message)})",
                api.Parameters?.RetryAfter is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null),
            ApiRequestException { ErrorCode: >= 500 } api => new(ApiFailureKind.ServerError, $"Telegram answered {api.ErrorCode} ({Scrub(api.Message)})"),
            ApiRequestException api => new(ApiFailureKind.Refused, $"Telegram refused the call with {api.ErrorCode} ({Scrub(api.Message)})"),
            RequestException { HttpStatusCode: System.Net.HttpStatusCode.Unauthorized } =>
                new(ApiFailureKind.Unauthorized, "the bot token was refused (401 Unauthorized)"),
            RequestException { HttpStatusCode: { } status } when (int)status >= 500 =>
                new(ApiFailureKind.ServerError, $"Telegram answered {(int)status} ({status})"),
            OperationCanceledException or { InnerException: OperationCanceledException } => new(ApiFailureKind.Timeout, "Telegram did not answer in time"),
            _ => new(ApiFailureKind.Unreachable, $"cannot reach Telegram ({Scrub(Describe(exception))})"),
        };
    }

    private static string Scrub(string text) => TokenRedaction.Scrub(text);

    /// <summary>The client wraps transport errors; the innermost message says what actually happened.</summary>
    private static string Describe(Exception exception) => exception.GetBaseException().Message;
}
