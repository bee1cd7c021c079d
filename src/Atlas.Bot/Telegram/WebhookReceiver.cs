using Microsoft.Extensions.Primitives;

namespace Atlas.Bot.Telegram;

/// <summary>What the webhook endpoint makes of a request; the endpoint turns it into a status code.</summary>
public enum WebhookOutcome
{
    Stored,
    WrongSecret,
    TooLarge,
    NotAnUpdate,
}

/// <summary>
/// One webhook request: the secret first (nothing is read from strangers), then a bounded body, then the update is
/// stored and the processor woken. No handling here: Telegram waits for the answer, and retries what it does not get.
/// </summary>
public sealed partial class WebhookReceiver(WebhookSecret secret, UpdateInbox inbox, ILogger<WebhookReceiver> log)
{
    /// <summary>Updates are a few kilobytes; a megabyte leaves room for any real one and none for abuse.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <param name="secretHeader">The values of <see cref="WebhookSecret.Header"/>; exactly one is accepted.</param>
    /// <param name="remote">The caller's address, for the log.</param>
    public async Task<WebhookOutcome> ReceiveAsync(StringValues secretHeader, long? contentLength, Stream body, string remote, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (secretHeader.Count != 1 || !secret.Matches(secretHeader[0]))
        {
            // Never the header's value: a near miss is most of the secret.
            LogWrongSecret(remote, secretHeader.Count == 0 ? "no secret" : "a wrong secret");
            return WebhookOutcome.WrongSecret;
        }

        if (contentLength > MaxBodyBytes || await ReadBoundedAsync(body, ct) is not { } json)
        {
            LogTooLarge(remote, MaxBodyBytes);
            return WebhookOutcome.TooLarge;
        }

        if (!UpdateJson.TryParse(json, out var update, out var reason))
        {
            LogNotAnUpdate(remote, json.Length, reason);
            return WebhookOutcome.NotAnUpdate;
        }

        // Telegram resends an update it got no 200 for; the inbox ignores an update_id it already has.
        await inbox.AddAsync([update], nextOffset: null, ct);
        return WebhookOutcome.Stored;
    }

    /// <summary>The body, or null when it is longer than <see cref="MaxBodyBytes"/> (a chunked body has no length up front).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Refused a webhook request from {Remote}: it carried {What}")]
    private partial void LogWrongSecret(string remote, string what);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Refused a webhook request from {Remote}: the body is over {MaxBytes} bytes")]
    private partial void LogTooLarge(string remote, int maxBytes);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Refused a webhook request from {Remote}: its {Bytes} bytes are not a Telegram update ({Reason})")]
    private partial void LogNotAnUpdate(string remote, int bytes, string reason);
}
