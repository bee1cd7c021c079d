namespace Atlas.Bot.Storage;

/// <summary>What a lease row says after an attempt to take or renew it.</summary>
/// <param name="Held">True when the caller holds the lease now (until <paramref name="Until"/>).</param>
/// <param name="Holder">Who holds it: the caller when held, else the other replica (null when nobody does).</param>
/// <param name="Until">When the holder's lease ends.</param>
public sealed record LeaseHold(bool Held, string? Holder, DateTimeOffset Until);

public sealed partial class Store
{
    /// <summary>
    /// Takes the lease <paramref name="name"/> for <paramref name="holder"/> until <paramref name="until"/> when it is
    /// free, ran out at <paramref name="now"/>, is already the holder's (a renewal), or is held by
    /// <paramref name="predecessor"/> (a holder known to be dead): one compare-and-set statement, so of two replicas
    /// asking at once exactly one gets it.
    /// </summary>
    public async Task<LeaseHold> TryHoldLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset until, CancellationToken ct, string? predecessor = null)
    {
        var untilMs = ToUnixMs(until);
        await using var connection = await OpenWriterAsync(ct);
        var taken = await ExecuteAsync(connection, null,
            """
            INSERT INTO leases (name, holder, until) VALUES (@name, @holder, @until)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until
            WHERE leases.holder = excluded.holder OR leases.holder = @predecessor OR leases.until <= @now;
            """,
            ct, ("@name", name), ("@holder", holder), ("@until", untilMs), ("@now", ToUnixMs(now)), ("@predecessor", predecessor ?? holder));
        if (taken == 1)
        {
            return new LeaseHold(true, holder, DateTimeOffset.FromUnixTimeMilliseconds(untilMs));
        }

        // Who holds it instead, for the log (on the same connection); a row that ran out meanwhile is simply taken at the next attempt.
        await using var command = Command(connection, null, "SELECT holder, until FROM leases WHERE name = @name;", ("@name", name));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new LeaseHold(false, reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)))
            : new LeaseHold(false, null, now);
    }

    /// <summary>Gives the lease up at once (a clean shutdown), if <paramref name="holder"/> still holds it.</summary>
    public async Task ReleaseLeaseAsync(string name, string holder, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await ExecuteAsync(connection, null, "DELETE FROM leases WHERE name = @name AND holder = @holder;", ct, ("@name", name), ("@holder", holder));
    }
}
