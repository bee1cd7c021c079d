using System.Net;
using Atlas.Bot.Telegram;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace Atlas.Bot.Tests.Telegram;

public sealed class ApiFailureTests
{
    public static TheoryData<Exception, ApiFailureKind> Cases => new()
    {
        { new ApiRequestException("Unauthorized", 401), ApiFailureKind.Unauthorized },
        { new RequestException("Unauthorized", HttpStatusCode.Unauthorized), ApiFailureKind.Unauthorized },
        { new ApiRequestException("Conflict: terminated by other getUpdates request", 409), ApiFailureKind.Conflict },
        { new ApiRequestException("Too Many Requests: retry after 7", 429, new ResponseParameters { RetryAfter = 7 }), ApiFailureKind.TooManyRequests },
        { new ApiRequestException("Internal Server Error", 500), ApiFailureKind.ServerError },
        { new RequestException("Bad Gateway", HttpStatusCode.BadGateway), ApiFailureKind.ServerError },
        { new ApiRequestException("Bad Request: bad webhook", 400), ApiFailureKind.Refused },
        { new TaskCanceledException(), ApiFailureKind.Timeout },
        { new RequestException("Request timed out", new TaskCanceledException()), ApiFailureKind.Timeout },
        { new RequestException("Exception during making request", new HttpRequestException("Connection refused (api.telegram.org:443)")), ApiFailureKind.Unreachable },
        { new HttpRequestException("Name or service not known"), ApiFailureKind.Unreachable },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_failure_has_its_kind(Exception exception, ApiFailureKind kind)
    {
        Assert.True(ApiFailure.IsApiFailure(exception));
        Assert.Equal(kind, ApiFailure.From(exception).Kind);
    }

    [Fact]
    public void Telegrams_retry_after_is_kept()
    {
        var failure = ApiFailure.From(new ApiRequestException("Too Many Requests: retry after 7", 429, new ResponseParameters { RetryAfter = 7 }));

        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
    }

    [Fact]
    public void A_token_quoted_by_a_transport_error_is_removed()
    {
        var failure = ApiFailure.From(new RequestException(
            "Exception during making request", new HttpRequestException("Error for https://api.telegram.org/bot123:SECRET-part_x/getUpdates")));

        Assert.DoesNotContain("SECRET-part_x", failure.Reason, StringComparison.Ordinal);
        Assert.StartsWith("cannot reach Telegram (", failure.Reason, StringComparison.Ordinal);
    }
}
