using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>A job's lease row, as two replicas (two stores on one database) see it: one compare-and-set decides.</summary>
public abstract class StoreLeadershipLeaseTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);


    [Fact]
    public async Task Of_two_replicas_asking_for_a_free_lease_the_first_gets_it_and_the_second_is_told_who_holds_it()
    {
        await using var other = Database.OpenAnotherStore();

        var first = await Store.TryHoldLeaseAsync("job", "a", Now, Now + Lease, CancellationToken.None);
        var second = await other.TryHoldLeaseAsync("job", "b", Now.AddSeconds(1), Now.AddSeconds(1) + Lease, CancellationToken.None);

        Assert.Equal(new LeaseHold(true, "a", Now + Lease), first);
        Assert.Equal(new LeaseHold(false, "a", Now + Lease), second);
    }

    [Fact]
    public async Task The_holder_renews_its_own_lease_even_after_it_ran_out_while_nobody_took_it()
    {
        await Store.TryHoldLeaseAsync("job", "a", Now, Now + Lease, CancellationToken.None);

        var renewed = await Store.TryHoldLeaseAsync("job", "a", Now.AddSeconds(5), Now.AddSeconds(20), CancellationToken.None);
        var late = await Store.TryHoldLeaseAsync("job", "a", Now.AddSeconds(40), Now.AddSeconds(55), CancellationToken.None);

        Assert.Equal((true, Now.AddSeconds(20)), (renewed.Held, renewed.Until));
        Assert.Equal((true, Now.AddSeconds(55)), (late.Held, late.Until));
    }

    [Theory]
    [InlineData(14.999, false)]
    [InlineData(15, true)]
    [InlineData(60, true)]
    public async Task Another_replica_takes_the_lease_only_once_it_ran_out(double secondsLater, bool taken)
    {
        await using var other = Database.OpenAnotherStore();
        await Store.TryHoldLeaseAsync("job", "a", Now, Now + Lease, CancellationToken.None);
        var at = Now.AddSeconds(secondsLater);

        var taker = await other.TryHoldLeaseAsync("job", "b", at, at + Lease, CancellationToken.None);
        var holder = await Store.TryHoldLeaseAsync("job", "a", at, at + Lease, CancellationToken.None);

        Assert.Equal((taken, !taken), (taker.Held, holder.Held));
        Assert.Equal(taken ? "b" : "a", holder.Holder);
    }

    [Fact]
    public async Task A_lease_held_by_a_dead_predecessor_is_taken_at_once_and_only_by_its_successor()
    {
        await using var other = Database.OpenAnotherStore();
        await Store.TryHoldLeaseAsync("job", "dead", Now, Now + Lease, CancellationToken.None);

        var stranger = await other.TryHoldLeaseAsync("job", "b", Now.AddSeconds(1), Now.AddSeconds(16), CancellationToken.None, predecessor: "someone-else");
        var successor = await other.TryHoldLeaseAsync("job", "c", Now.AddSeconds(1), Now.AddSeconds(16), CancellationToken.None, predecessor: "dead");

        Assert.False(stranger.Held);
        Assert.Equal(new LeaseHold(true, "c", Now.AddSeconds(16)), successor);
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once_and_only_its_holder_can_release_it()
    {
        await using var other = Database.OpenAnotherStore();
        await Store.TryHoldLeaseAsync("job", "a", Now, Now + Lease, CancellationToken.None);

        await other.ReleaseLeaseAsync("job", "b", CancellationToken.None);
        Assert.False((await other.TryHoldLeaseAsync("job", "b", Now, Now + Lease, CancellationToken.None)).Held);

        await Store.ReleaseLeaseAsync("job", "a", CancellationToken.None);
        Assert.True((await other.TryHoldLeaseAsync("job", "b", Now.AddSeconds(1), Now.AddSeconds(16), CancellationToken.None)).Held);
    }

    [Fact]
    public async Task Leases_of_different_jobs_are_independent_and_the_table_is_created_once()
    {
        await using var other = Database.OpenAnotherStore();

        Assert.True((await Store.TryHoldLeaseAsync("telegram-updates", "a", Now, Now + Lease, CancellationToken.None)).Held);
        Assert.True((await other.TryHoldLeaseAsync("delivery-dispatcher", "b", Now, Now + Lease, CancellationToken.None)).Held);
        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(*) FROM leases"));
    }
}

public sealed class StoreLeadershipLeaseTests_Sqlite() : StoreLeadershipLeaseTests(Provider.Sqlite);

public sealed class StoreLeadershipLeaseTests_Postgres() : StoreLeadershipLeaseTests(Provider.Postgres);
