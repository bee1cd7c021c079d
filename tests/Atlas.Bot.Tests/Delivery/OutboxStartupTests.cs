using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Tests.Storage;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Tests.Delivery;

/// <summary>
/// A process restarted in place after a crash lets go, at start, of what its dead predecessor had claimed (deliveries,
/// updates), as it takes back its leadership leases: nothing waits for those leases to run out. A live replica on the
/// same host is never anyone's predecessor, so its claims stay its own.
/// </summary>
public abstract class OutboxStartupTests(Provider provider) : DatabaseTest(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_process_restarted_after_a_crash_frees_its_predecessors_claims_at_start_and_leaves_a_live_replicas_alone()
    {
        using var slots = new TempFolder();
        var logs = new CapturingLoggerProvider();
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az", "@atlas_en", "@atlas_ru"], Now, CancellationToken.None);
        await Store.AddToInboxAsync([new InboxUpdate(1, "{}"), new InboxUpdate(2, "{}"), new InboxUpdate(3, "{}")], 4, Now, CancellationToken.None);
        using var live = ReplicaIdentity.Claim(slots.Path);
        await using var liveStore = Database.OpenAnotherStore(live.Id);
        var livesDelivery = Assert.Single(await liveStore.ClaimDueAsync(Now, 1, Lease, CancellationToken.None));
        var livesUpdate = Assert.Single(await liveStore.ClaimUpdatesAsync(Now, 1, Lease, CancellationToken.None));
        var crashed = ReplicaIdentity.Claim(slots.Path);
        await using (var crashedStore = Database.OpenAnotherStore(crashed.Id))
        {
            Assert.Equal(2, (await crashedStore.ClaimDueAsync(Now, 10, Lease, CancellationToken.None)).Count);
            Assert.Equal(2, (await crashedStore.ClaimUpdatesAsync(Now, 10, Lease, CancellationToken.None)).Count);
        }

        // SIGKILL: the operating system drops the slot's lock; the process is started again.
        crashed.Dispose();
        using var restarted = ReplicaIdentity.Claim(slots.Path);
        await using var restartedStore = Database.OpenAnotherStore(restarted.Id);
        await StartupOf(restartedStore, restarted, logs).StartAsync(CancellationToken.None);

        var soon = Now.AddSeconds(1);
        var deliveries = await restartedStore.ClaimDueAsync(soon, 10, Lease, CancellationToken.None);
        var updates = await restartedStore.ClaimUpdatesAsync(soon, 10, Lease, CancellationToken.None);
        Assert.Equal(crashed.Id, restarted.Predecessor);
        Assert.Equal(2, deliveries.Count);
        Assert.DoesNotContain(livesDelivery.Id, deliveries.Select(delivery => delivery.Id));
        Assert.Equal([2L, 3L], updates.Select(update => update.UpdateId));
        Assert.True(await liveStore.RenewUpdateLeaseAsync(livesUpdate.UpdateId, soon + Lease, CancellationToken.None));
        Assert.True(await liveStore.RenewLeaseAsync(livesDelivery.Id, livesDelivery.LeaseUntil, soon + Lease, CancellationToken.None));
        Assert.Contains(logs.Messages, line => line.Contains("[2104]", StringComparison.Ordinal)
            && line.Contains(crashed.Id, StringComparison.Ordinal) && line.Contains("2 deliveries and 2 updates", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_process_with_no_predecessor_releases_nothing()
    {
        using var slots = new TempFolder();
        var logs = new CapturingLoggerProvider();
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["@atlas_az"], Now, CancellationToken.None);
        using var other = ReplicaIdentity.Claim(slots.Path);
        await using var otherStore = Database.OpenAnotherStore(other.Id);
        Assert.Single(await otherStore.ClaimDueAsync(Now, 10, Lease, CancellationToken.None));
        using var started = ReplicaIdentity.Claim(slots.Path);

        await StartupOf(Store, started, logs).StartAsync(CancellationToken.None);

        Assert.Null(started.Predecessor);
        Assert.Empty(await Store.ClaimDueAsync(Now.AddSeconds(1), 10, Lease, CancellationToken.None));
        Assert.DoesNotContain(logs.Messages, line => line.Contains("[2104]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task At_start_a_configured_topic_that_was_stopped_gets_its_posts_back_and_one_no_longer_configured_keeps_them_parked()
    {
        using var slots = new TempFolder();
        await Store.RecordItemAsync(SampleItem("a", Now), SamplePost("A"), ["-1001234567890/42", "-1001234567890/43"], Now, CancellationToken.None);
        await Store.StopTopicAsync("-1001234567890", 42, "Bad Request: TOPIC_CLOSED", Now, CancellationToken.None);
        await Store.StopTopicAsync("-1001234567890", 43, "Bad Request: message thread not found", Now, CancellationToken.None);
        using var started = ReplicaIdentity.Claim(slots.Path);
        var feeds = new FeedsOptions { Feeds = [new FeedOptions { Id = "az", Url = "az.xml", Language = "az", Channels = ["-1001234567890/42", "-1001234567890/44"] }] };

        await StartupOf(Store, started, new CapturingLoggerProvider(), feeds).StartAsync(CancellationToken.None);

        Assert.Equal([42], (await Store.ClaimDueAsync(Now.AddSeconds(1), 10, Lease, CancellationToken.None)).Select(delivery => delivery.ThreadId));
        Assert.Equal([43], (await Store.StoppedTopicsAsync(CancellationToken.None)).Select(stopped => stopped.ThreadId));
    }

    private static OutboxStartup StartupOf(Store store, ReplicaIdentity replica, CapturingLoggerProvider logs, FeedsOptions? feeds = null) =>
        new(store, replica, new DeliverySwitch(store, new OutboxSignal()), Options.Create(feeds ?? new FeedsOptions()), Options.Create(new DeliveryOptions()),
            Options.Create(new RateLimits()), new LoggerFactory([logs]).CreateLogger<OutboxStartup>());
}

public sealed class OutboxStartupTests_Sqlite() : OutboxStartupTests(Provider.Sqlite);

public sealed class OutboxStartupTests_Postgres() : OutboxStartupTests(Provider.Postgres);
