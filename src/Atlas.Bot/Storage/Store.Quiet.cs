namespace Atlas.Bot.Storage;

/// <summary>
/// A chat's quiet hours, whole hours of the center's day: from <paramref name="Start"/>:00 up to (not including)
/// <paramref name="End"/>:00, across midnight when <paramref name="End"/> is the smaller (22, 7: 22:00 to 06:59:59).
/// </summary>
public readonly record struct QuietSpan(int Start, int End);

public sealed partial class Store
{
    /// <summary>Sets a subscriber's quiet hours, or clears them with null. Kept on the subscription: /stop and /start leave them.</summary>
    public async Task SetQuietHoursAsync(long chatId, QuietSpan? span, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null, "UPDATE subscribers SET quiet_start = @start, quiet_end = @end WHERE chat_id = @chat;", ct,
            ("@chat", chatId), ("@start", span?.Start), ("@end", span?.End));
    }

    /// <summary>A subscriber's quiet hours; null when they have none (or are not a subscriber).</summary>
    public async Task<QuietSpan?> QuietHoursAsync(long chatId, CancellationToken ct)
    {
        var spans = await QueryAsync(
            "SELECT quiet_start, quiet_end FROM subscribers WHERE chat_id = @chat AND quiet_start IS NOT NULL AND quiet_end IS NOT NULL;",
            reader => new QuietSpan(reader.GetInt32(0), reader.GetInt32(1)),
            ct, ("@chat", chatId));
        return spans.Count == 0 ? null : spans[0];
    }

    /// <summary>How many active subscribers have quiet hours.</summary>
    public async Task<long> QuietSubscribersAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await ScalarLongAsync(connection, null, "SELECT COUNT(*) FROM subscribers WHERE active = 1 AND quiet_start IS NOT NULL;", ct) ?? 0;
    }
}
