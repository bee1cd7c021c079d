using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>Processes sharing one database (replicas) claim work at the same moment: each piece goes to exactly one of them.</summary>
public abstract class StoreClaimTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Replicas_claiming_at_once_never_claim_the_same_delivery_and_leave_none_behind()
    {
        await Database.SubscribeManyAsync(1000, 300, "az");
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), [], Now, CancellationToken.None);
        var replicas = new[] { Store, Database.OpenAnotherStore(), Database.OpenAnotherStore() };

        var claims = await Task.WhenAll(replicas.Select(replica => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (await replica.ClaimDueAsync(Now, 7, Lease, CancellationToken.None) is { Count: > 0 } claimed)
            {
                mine.AddRange(claimed.Select(delivery => delivery.Id));
            }

            return mine;
        })));

        foreach (var other in replicas.Skip(1))
        {
            await other.DisposeAsync();
        }

        var all = claims.SelectMany(ids => ids).ToList();
        Assert.Equal(300, all.Count);
        Assert.Equal(300, all.Distinct().Count());
        Assert.Equal(claims.Count(ids => ids.Count > 0), await Database.CountAsync("SELECT COUNT(DISTINCT claimed_by) FROM deliveries"));
    }

    [Fact]
    public async Task A_replica_cannot_renew_or_release_a_claim_another_one_holds()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az"], Now, CancellationToken.None);
        await using var other = Database.OpenAnotherStore();
        var claimed = Assert.Single(await other.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));

        Assert.False(await Store.RenewLeaseAsync(claimed.Id, claimed.LeaseUntil, Now.AddMinutes(10), CancellationToken.None));
        await Store.ReleaseAsync([claimed.Id], CancellationToken.None);
        Assert.Empty(await Store.ClaimDueAsync(Now.AddMinutes(1), 10, Lease, CancellationToken.None));

        Assert.True(await other.RenewLeaseAsync(claimed.Id, claimed.LeaseUntil, Now.AddMinutes(10), CancellationToken.None));
    }

    [Fact]
    public async Task A_dead_replicas_claims_are_claimed_again_once_their_lease_ends()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az"], Now, CancellationToken.None);
        await using (var dead = Database.OpenAnotherStore())
        {
            Assert.Single(await dead.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        }

        Assert.Empty(await Store.ClaimDueAsync(Now + Lease - TimeSpan.FromSeconds(1), 10, Lease, CancellationToken.None));
        Assert.Single(await Store.ClaimDueAsync(Now + Lease, 10, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task Replicas_claiming_updates_at_once_each_get_different_ones_in_order()
    {
        var updates = Enumerable.Range(1, 200).Select(id => new InboxUpdate(id, $"{{\"update_id\":{id}}}")).ToList();
        await Store.AddToInboxAsync(updates, 201, Now, CancellationToken.None);
        var replicas = new[] { Store, Database.OpenAnotherStore(), Database.OpenAnotherStore() };

        var claims = await Task.WhenAll(replicas.Select(replica => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (await replica.ClaimUpdatesAsync(Now, 5, Lease, CancellationToken.None) is { Count: > 0 } claimed)
            {
                mine.AddRange(claimed.Select(update => update.UpdateId));
            }

            return mine;
        })));

        foreach (var other in replicas.Skip(1))
        {
            await other.DisposeAsync();
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(id => (long)id), claims.SelectMany(ids => ids).Order());
        Assert.All(claims, ids => Assert.Equal(ids.Order(), ids));
    }

    [Fact]
    public async Task An_update_claimed_by_a_replica_that_died_is_claimed_again_when_its_lease_ends_and_a_handled_one_never()
    {
        await Store.AddToInboxAsync([new InboxUpdate(1, "{}"), new InboxUpdate(2, "{}")], 3, Now, CancellationToken.None);
        await using (var dead = Database.OpenAnotherStore())
        {
            Assert.Equal(2, (await dead.ClaimUpdatesAsync(Now, 10, Lease, CancellationToken.None)).Count);
            await dead.MarkHandledAsync(2, error: null, Now, CancellationToken.None);
        }

        Assert.Empty(await Store.ClaimUpdatesAsync(Now.AddMinutes(1), 10, Lease, CancellationToken.None));
        Assert.Equal([1L], (await Store.ClaimUpdatesAsync(Now + Lease, 10, Lease, CancellationToken.None)).Select(update => update.UpdateId));
    }
}

public sealed class StoreClaimTests_Sqlite() : StoreClaimTests(Provider.Sqlite);

public sealed class StoreClaimTests_Postgres() : StoreClaimTests(Provider.Postgres);
