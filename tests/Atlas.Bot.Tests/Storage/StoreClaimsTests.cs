using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>
/// Claims carry the name the store was given (the replica's identity), and a dead holder's claims on work not done can be
/// released at once: what a process restarted after a crash does with its predecessor's.
/// </summary>
public abstract class StoreClaimsTests(Provider provider) : DatabaseTest(provider)
{
    private const string Predecessor = "host/41/dead01";
    private const string Successor = "host/41/beef02";
    private const string Live = "host/77/a1b2c3";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Deliveries_and_updates_are_claimed_under_the_name_the_store_was_given()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az"], Now, CancellationToken.None);
        await Store.AddToInboxAsync([new InboxUpdate(1, "{}")], 2, Now, CancellationToken.None);
        await using var replica = Database.OpenAnotherStore(Live);

        Assert.Single(await replica.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        Assert.Single(await replica.ClaimUpdatesAsync(Now, 10, Lease, CancellationToken.None));

        Assert.Equal(Live, replica.ClaimantId);
        Assert.Equal([Live], await Database.ListAsync("SELECT claimed_by FROM deliveries"));
        Assert.Equal([Live], await Database.ListAsync("SELECT claimed_by FROM inbox"));
    }

    [Fact]
    public async Task Stores_opened_without_a_name_each_claim_under_one_of_their_own()
    {
        await using var other = Database.OpenAnotherStore();

        Assert.NotEqual(Store.ClaimantId, other.ClaimantId);
    }

    [Fact]
    public async Task A_dead_predecessors_claims_are_released_at_once_and_its_successor_claims_them_before_their_leases_end()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az", "@atlas_en"], Now, CancellationToken.None);
        await Store.AddToInboxAsync([new InboxUpdate(1, "{}"), new InboxUpdate(2, "{}")], 3, Now, CancellationToken.None);
        await using (var dead = Database.OpenAnotherStore(Predecessor))
        {
            Assert.Equal(2, (await dead.ClaimDueAsync(Now, 10, Lease, CancellationToken.None)).Count);
            Assert.Equal(2, (await dead.ClaimUpdatesAsync(Now, 10, Lease, CancellationToken.None)).Count);
        }

        await using var restarted = Database.OpenAnotherStore(Successor);
        var soon = Now.AddSeconds(1);
        Assert.Empty(await restarted.ClaimDueAsync(soon, 10, Lease, CancellationToken.None));

        Assert.Equal(new ReleasedClaims(2, 2), await restarted.ReleaseClaimsOfAsync(Predecessor, CancellationToken.None));

        Assert.Equal(2, (await restarted.ClaimDueAsync(soon, 10, Lease, CancellationToken.None)).Count);
        Assert.Equal([1L, 2L], (await restarted.ClaimUpdatesAsync(soon, 10, Lease, CancellationToken.None)).Select(update => update.UpdateId));
        Assert.Equal([Successor, Successor], await Database.ListAsync("SELECT claimed_by FROM deliveries"));
        Assert.Equal([Successor, Successor], await Database.ListAsync("SELECT claimed_by FROM inbox"));
    }

    [Fact]
    public async Task Releasing_a_predecessors_claims_leaves_a_live_replicas_claims_and_the_predecessors_finished_work_alone()
    {
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az", "@atlas_en"], Now, CancellationToken.None);
        await Store.AddToInboxAsync([new InboxUpdate(1, "{}"), new InboxUpdate(2, "{}")], 3, Now, CancellationToken.None);
        await using var live = Database.OpenAnotherStore(Live);
        var livesDelivery = Assert.Single(await live.ClaimDueAsync(Now, 1, Lease, CancellationToken.None));
        Assert.Single(await live.ClaimUpdatesAsync(Now, 1, Lease, CancellationToken.None));
        await using (var dead = Database.OpenAnotherStore(Predecessor))
        {
            // It sent and handled what it claimed before it died: done work keeps the name of who did it.
            var sent = Assert.Single(await dead.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
            await dead.MarkSentAsync(sent.Id, 501, null, Now, CancellationToken.None);
            Assert.Equal([2L], (await dead.ClaimUpdatesAsync(Now, 10, Lease, CancellationToken.None)).Select(update => update.UpdateId));
            Assert.True(await dead.MarkHandledAsync(2, error: null, Now, CancellationToken.None));
        }

        await using var restarted = Database.OpenAnotherStore(Successor);
        Assert.Equal(new ReleasedClaims(0, 0), await restarted.ReleaseClaimsOfAsync(Predecessor, CancellationToken.None));

        var soon = Now.AddSeconds(1);
        Assert.Empty(await restarted.ClaimDueAsync(soon, 10, Lease, CancellationToken.None));
        Assert.Empty(await restarted.ClaimUpdatesAsync(soon, 10, Lease, CancellationToken.None));
        Assert.True(await live.RenewLeaseAsync(livesDelivery.Id, livesDelivery.LeaseUntil, soon + Lease, CancellationToken.None));
        Assert.True(await live.RenewUpdateLeaseAsync(1, soon + Lease, CancellationToken.None));
        Assert.Equal([Live, Predecessor], await Database.ListAsync("SELECT claimed_by FROM deliveries ORDER BY state"));
        Assert.Equal([Live, Predecessor], await Database.ListAsync("SELECT claimed_by FROM inbox ORDER BY update_id"));
    }
}

public sealed class StoreClaimsTests_Sqlite() : StoreClaimsTests(Provider.Sqlite);

public sealed class StoreClaimsTests_Postgres() : StoreClaimsTests(Provider.Postgres);
