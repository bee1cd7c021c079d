namespace Atlas.Bot.Storage;

public sealed partial class Store
{
    /// <summary>Drops an announcement draft before it is confirmed; only its author may. False when there was no such draft.</summary>
    public async Task<bool> CancelBroadcastAsync(long seq, long cancelledBy, CancellationToken ct)
    {
        await using var connection = await OpenWriterAsync(ct);
        return await ExecuteAsync(connection, null,
            "UPDATE messages SET state = 'cancelled' WHERE seq = @seq AND kind = 'broadcast' AND state = 'draft' AND created_by = @by;",
            ct, ("@seq", seq), ("@by", cancelledBy)) == 1;
    }
}
