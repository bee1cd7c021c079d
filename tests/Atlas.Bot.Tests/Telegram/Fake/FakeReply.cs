using System.Text.Json.Nodes;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>What the fault hook makes the fake answer instead of (or before) handling a call normally.</summary>
public abstract record FakeReply
{
    private FakeReply() { }

    /// <summary>A Bot API error in Telegram's shape, with the matching HTTP status.</summary>
    public sealed record ApiError(int Code, string Description, int? RetryAfter = null, long? MigrateToChatId = null) : FakeReply;

    /// <summary>Any status and body, e.g. the HTML page of a 502 from Telegram's front end.</summary>
    public sealed record Raw(int Status, string Body, string ContentType = "text/html") : FakeReply;

    /// <summary>Waits, then handles the call normally (the client's timeout may fire first).</summary>
    public sealed record Delay(TimeSpan Duration) : FakeReply;

    public static ApiError TooManyRequests(int retryAfter) =>
        new(429, $"Too Many Requests: retry after {retryAfter}", RetryAfter: retryAfter);

    public static ApiError BadRequest(string description) => new(400, $"Bad Request: {description}");

    public static ApiError InternalServerError() => new(500, "Internal Server Error");

    internal static JsonObject ToJson(ApiError error)
    {
        var body = new JsonObject { ["ok"] = false, ["error_code"] = error.Code, ["description"] = error.Description };
        if (error.RetryAfter is not null || error.MigrateToChatId is not null)
        {
            var parameters = new JsonObject();
            if (error.RetryAfter is { } retryAfter)
            {
                parameters["retry_after"] = retryAfter;
            }

            if (error.MigrateToChatId is { } migrateTo)
            {
                parameters["migrate_to_chat_id"] = migrateTo;
            }

            body["parameters"] = parameters;
        }

        return body;
    }
}
