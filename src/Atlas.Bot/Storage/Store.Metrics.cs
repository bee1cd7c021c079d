namespace Atlas.Bot.Storage;

/// <summary>Deliveries of one target kind waiting to be sent (leased ones included: they are not confirmed yet).</summary>
public sealed record PendingDeliveries(string Target, long Count, DateTimeOffset OldestCreated);

/// <summary>The database's side of the metrics: outbox depth and age, subscribers by state.</summary>
public sealed record OperationalCounts(IReadOnlyList<PendingDeliveries> PendingByTarget, long ActiveSubscribers, long InactiveSubscribers)
{
    public static readonly OperationalCounts None = new([], 0, 0);

    public PendingDeliveries? Pending(string target) => PendingByTarget.FirstOrDefault(pending => pending.Target == target);
}

public sealed partial class Store
{
    public async Task<OperationalCounts> OperationalCountsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var pending = new List<PendingDeliveries>();
        await using (var command = Command(connection, null,
            "SELECT target, COUNT(*), MIN(created_at) FROM deliveries WHERE state = 'pending' GROUP BY target ORDER BY target;"))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                pending.Add(new PendingDeliveries(reader.GetString(0), reader.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
            }
        }

        await using (var command = Command(connection, null, "SELECT COUNT(CASE WHEN active = 1 THEN 1 END), COUNT(CASE WHEN active = 0 THEN 1 END) FROM subscribers;"))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return new OperationalCounts(pending, reader.GetInt64(0), reader.GetInt64(1));
        }
    }
}
