using Atlas.Bot.Storage;

namespace Atlas.Bot.Tests.Storage;

/// <summary>What a restarted bot reads so that its rate governor starts with the windows Telegram still counts.</summary>
public abstract class StoreRecentSendsTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Recent_sends_are_the_last_second_everywhere_the_last_minute_into_groups_and_leases_still_running()
    {
        await SendAsync("1001", Now.AddMilliseconds(-400));
        await SendAsync("1002", Now.AddSeconds(-5));
        await SendAsync("@channel", Now.AddSeconds(-30));
        await SendAsync("-100200", Now.AddSeconds(-59));
        await SendAsync("@old", Now.AddSeconds(-61));
        await Store.RecordItemAsync(Item("leased"), SamplePost("L"), ["1003"], Now.AddSeconds(-2), CancellationToken.None);
        Assert.Single(await Store.ClaimDueAsync(Now.AddSeconds(-2), 10, Lease, CancellationToken.None));

        var recent = await Store.RecentSendsAsync(Now, CancellationToken.None);

        Assert.Equal(
            [new RecentSend("-100200", Now.AddSeconds(-59)), new RecentSend("@channel", Now.AddSeconds(-30)), new RecentSend("1001", Now.AddMilliseconds(-400)), new RecentSend("1003", Now)],
            recent);
    }

    [Fact]
    public async Task A_dead_predecessors_released_claims_count_as_sent_now_for_its_successor_until_claimed_again()
    {
        await Store.RecordItemAsync(Item("a"), SamplePost("A"), ["1004"], Now, CancellationToken.None);
        await using (var dead = Database.OpenAnotherStore("host/1/dead"))
        {
            Assert.Single(await dead.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        }

        await using var restarted = Database.OpenAnotherStore("host/1/restarted");
        await restarted.ReleaseClaimsOfAsync("host/1/dead", CancellationToken.None);

        Assert.Equal([new RecentSend("1004", Now)], await restarted.RecentSendsAsync(Now, CancellationToken.None, predecessor: "host/1/dead"));
        Assert.Empty(await restarted.RecentSendsAsync(Now, CancellationToken.None));
        Assert.Single(await restarted.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
    }

    private async Task SendAsync(string chat, DateTimeOffset at)
    {
        await Store.RecordItemAsync(Item(chat), SamplePost(chat), [chat], at, CancellationToken.None);
        var claimed = Assert.Single(await Store.ClaimDueAsync(at, 10, Lease, CancellationToken.None));
        await Store.MarkSentAsync(claimed.Id, 1, null, at, CancellationToken.None);
    }

    private static ItemRecord Item(string key) => SampleItem(key, Now);
}

public sealed class StoreRecentSendsTests_Sqlite() : StoreRecentSendsTests(Provider.Sqlite);

public sealed class StoreRecentSendsTests_Postgres() : StoreRecentSendsTests(Provider.Postgres);
