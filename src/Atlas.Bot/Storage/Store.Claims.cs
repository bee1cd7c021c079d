namespace Atlas.Bot.Storage;

/// <summary>What <see cref="Store.ReleaseClaimsOfAsync"/> let go of.</summary>
public sealed record ReleasedClaims(int Deliveries, int Updates);

public sealed partial class Store
{
    /// <summary>
    /// Lets go at once of the claims <paramref name="holder"/> still has on work not done (pending deliveries, unhandled
    /// updates), so they can be claimed now rather than when their leases end. Only for a holder known to be dead (a
    /// restarted process's predecessor): a live one would go on with work that others then take too. A released delivery
    /// keeps the holder's name until it is claimed again: it may have been on the wire when the holder died, and
    /// <see cref="RecentSendsAsync"/> counts it as sent for the next leader's governor.
    /// </summary>
    public async Task<ReleasedClaims> ReleaseClaimsOfAsync(string holder, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        await using var tx = await BeginWriteAsync(connection, ct);
        var deliveries = await ExecuteAsync(connection, tx,
            "UPDATE deliveries SET lease_until = NULL WHERE state = 'pending' AND claimed_by = @holder AND lease_until IS NOT NULL;", ct, ("@holder", holder));
        var updates = await ExecuteAsync(connection, tx,
            "UPDATE inbox SET lease_until = NULL, claimed_by = NULL WHERE handled_at IS NULL AND claimed_by = @holder;", ct, ("@holder", holder));
        await tx.CommitAsync(ct);
        return new ReleasedClaims(deliveries, updates);
    }
}
