using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Commands;

/// <summary>
/// Lets the configured admins through to admin commands and politely refuses everyone else. Every attempt,
/// allowed or not, is written to the audit trail (who, what, detail, when) and a refusal is logged.
/// </summary>
public sealed partial class AdminGate(IOptions<TelegramOptions> options, Store store, ILogger<AdminGate> log)
{
    /// <summary>Enough of the arguments to know what was done; an announcement's full text is in its message.</summary>
    private const int DetailLength = 200;

    public bool IsAdmin(long userId) => options.Value.Admins.Contains(userId);

    /// <summary>True when <paramref name="userId"/> may run <paramref name="action"/>; otherwise the refusal is queued.</summary>
    public async Task<bool> AllowAsync(long userId, long replyChat, string action, string? detail, CommandContext context, CancellationToken ct)
    {
        var allowed = IsAdmin(userId);
        var shortDetail = detail is { Length: > DetailLength } ? detail[..DetailLength] : detail;
        await store.AuditAsync(context.Key, userId, action, string.IsNullOrEmpty(shortDetail) ? null : shortDetail, allowed, context.Now, ct);
        if (!allowed)
        {
            LogRefused(userId, action);
            await context.ReplyAsync(replyChat, context.Text(TextNames.AdminOnly), ct);
        }

        return allowed;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "User {UserId} is not an admin and tried /{Command}: refused")]
    private partial void LogRefused(long userId, string command);
}
