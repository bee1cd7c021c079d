using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>A claim that waited long for its turn to send is renewed only while nobody else claimed the delivery.</summary>
public abstract class StoreLeaseTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_claim_still_held_is_renewed_and_cannot_be_claimed_meanwhile()
    {
        var claimed = await ClaimOneAsync(Now);

        Assert.True(await Store.RenewLeaseAsync(claimed.Id, claimed.LeaseUntil, Now.AddSeconds(100), CancellationToken.None));

        Assert.Empty(await Store.ClaimDueAsync(Now.AddSeconds(61), 10, Lease, CancellationToken.None));
        Assert.Single(await Store.ClaimDueAsync(Now.AddSeconds(100), 10, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task A_lease_that_ran_out_but_was_not_claimed_again_is_still_the_holders()
    {
        var claimed = await ClaimOneAsync(Now);

        Assert.True(await Store.RenewLeaseAsync(claimed.Id, claimed.LeaseUntil, Now.AddSeconds(130), CancellationToken.None));
    }

    [Fact]
    public async Task A_delivery_claimed_again_after_its_lease_ran_out_is_not_the_first_holders_to_send()
    {
        var first = await ClaimOneAsync(Now);
        var second = await ClaimOneAsync(Now.AddSeconds(61));

        Assert.False(await Store.RenewLeaseAsync(first.Id, first.LeaseUntil, Now.AddSeconds(70), CancellationToken.None));
        Assert.True(await Store.RenewLeaseAsync(second.Id, second.LeaseUntil, Now.AddSeconds(150), CancellationToken.None));
    }

    [Fact]
    public async Task A_delivery_already_sent_is_never_renewed()
    {
        var claimed = await ClaimOneAsync(Now);
        await Store.MarkSentAsync(claimed.Id, 7, null, Now.AddSeconds(1), CancellationToken.None);

        Assert.False(await Store.RenewLeaseAsync(claimed.Id, claimed.LeaseUntil, Now.AddSeconds(90), CancellationToken.None));
    }

    private async Task<ClaimedDelivery> ClaimOneAsync(DateTimeOffset at)
    {
        if (await Database.CountAsync("SELECT COUNT(*) FROM deliveries") == 0)
        {
            await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az"], Now, CancellationToken.None);
        }

        return Assert.Single(await Store.ClaimDueAsync(at, 10, Lease, CancellationToken.None));
    }
}

public sealed class StoreLeaseTests_Sqlite() : StoreLeaseTests(Provider.Sqlite);

public sealed class StoreLeaseTests_Postgres() : StoreLeaseTests(Provider.Postgres);
