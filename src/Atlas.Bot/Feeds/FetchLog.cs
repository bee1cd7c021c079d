using Microsoft.Extensions.Logging;

namespace Atlas.Bot.Feeds;

internal static partial class FetchLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "GET {Url} answered HTTP {StatusCode} from {FinalUrl}")]
    public static partial void Answered(this ILogger logger, Uri url, int statusCode, Uri? finalUrl);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Fetched {Url}: {Bytes} bytes")]
    public static partial void Fresh(this ILogger logger, string url, int bytes);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Fetched {Url}: not modified")]
    public static partial void NotModified(this ILogger logger, string url);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Fetch of {Url} failed: {Reason}")]
    public static partial void Failed(this ILogger logger, string url, string reason);
}
