using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Tests.Telegram;

/// <summary>Two replicas' pollers (each its own store on one SQLite file) against one fake Bot API, which answers 409 to overlapping polls.</summary>
public sealed class UpdatePollerReplicasTests : IAsyncLifetime
{
    private ReceivingRig _rig = null!;

    public async Task InitializeAsync() => _rig = await ReceivingRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Only_the_replica_holding_the_lease_calls_getUpdates_and_a_clean_stop_hands_polling_over_without_a_409()
    {
        await using var otherStore = _rig.Database.OpenAnotherStore();
        using var leader = _rig.Poller();
        using var standby = _rig.Poller(otherStore, new UpdateInbox(otherStore, _rig.Signal, TimeProvider.System));
        await leader.StartAsync(CancellationToken.None);
        await Until.TrueAsync(() => PollingTerms() == 1, "the first replica to poll");
        await standby.StartAsync(CancellationToken.None);
        await Until.TrueAsync(() => Logged("Standing by for telegram-updates"), "the second replica to stand by");

        var before = new[] { _rig.Api.EnqueueMessage(7, "/start"), _rig.Api.EnqueueMessage(8, "/lang") };
        await Until.TrueAsync(() => InboxHasAsync(2), "the leader to store the first updates");
        // Several long polls (1 s each against the double) while the other replica keeps asking for the lease.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, PollingTerms());

        await leader.StopAsync(CancellationToken.None);
        var after = _rig.Api.EnqueueMessage(9, "/help");
        await Until.TrueAsync(() => InboxHasAsync(3), "the other replica to take polling over");
        await standby.StopAsync(CancellationToken.None);

        Assert.Equal(2, PollingTerms());
        Assert.Equal(0, _rig.Api.PollConflicts);
        Assert.DoesNotContain(_rig.Logs.Messages, line => line.Contains("409", StringComparison.Ordinal) || line.Contains("Conflict", StringComparison.Ordinal));
        Assert.Equal([.. before, after], (await _rig.Store.UnhandledUpdatesAsync(10, CancellationToken.None)).Select(update => (int)update.UpdateId));
    }

    [Fact]
    public async Task A_poller_that_loses_the_lease_abandons_its_long_poll_at_once_so_the_next_leader_meets_no_409()
    {
        // Long polls that would still be waiting when the next leader asks: Telegram would end the older with a 409.
        _rig.Api.LongPollCap = TimeSpan.FromSeconds(25);
        var slow = Options.Create(new UpdateReceivingOptions { LongPollSeconds = 20, FirstRetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(400) });
        await using var otherStore = _rig.Database.OpenAnotherStore();
        using var first = new UpdatePoller(_rig.Client, _rig.Store, _rig.Inbox, _rig.Leadership(_rig.Store, TimeProvider.System), slow, TimeProvider.System, _rig.Logger<UpdatePoller>());
        using var second = new UpdatePoller(_rig.Api.CreateClient(), otherStore, new UpdateInbox(otherStore, _rig.Signal, TimeProvider.System),
            _rig.Leadership(otherStore, TimeProvider.System), slow, TimeProvider.System, _rig.Logger<UpdatePoller>());
        await first.StartAsync(CancellationToken.None);
        await Until.TrueAsync(() => _rig.Api.Requests.Any(request => request.Method == "getupdates"), "the first replica's long poll");
        await second.StartAsync(CancellationToken.None);
        await Until.TrueAsync(() => Logged("Standing by for telegram-updates"), "the second replica to stand by");

        // A third holder appears (as after a renewal that came too late): the first finds out at its next renewal.
        await _rig.Database.CountAsync("UPDATE leases SET holder = 'elsewhere', until = until + 600000 WHERE name = 'telegram-updates'; SELECT 0;");
        await Until.TrueAsync(() => Logged("Stopped leading telegram-updates (taken over by elsewhere)"), "the first replica to notice", TimeSpan.FromSeconds(20));
        await _rig.Database.CountAsync("DELETE FROM leases WHERE holder = 'elsewhere'; SELECT 0;");
        await Until.TrueAsync(() => PollingTerms() == 2, "the second replica to poll");
        var update = _rig.Api.EnqueueMessage(7, "/start");
        await Until.TrueAsync(() => InboxHasAsync(1), "the second replica to store the update");
        await first.StopAsync(CancellationToken.None);
        await second.StopAsync(CancellationToken.None);

        Assert.Equal(0, _rig.Api.PollConflicts);
        Assert.Equal(update, (int)Assert.Single(await _rig.Store.UnhandledUpdatesAsync(10, CancellationToken.None)).UpdateId);
    }

    /// <summary>Each replica that starts polling removes the webhook first and says so once.</summary>
    private int PollingTerms() => _rig.Logs.Messages.Count(line => line.Contains("Receiving updates by long polling", StringComparison.Ordinal));

    private bool Logged(string text) => _rig.Logs.Messages.Any(line => line.Contains(text, StringComparison.Ordinal));

    private async Task<bool> InboxHasAsync(int count) =>
        (await _rig.Store.UnhandledUpdatesAsync(100, CancellationToken.None)).Count >= count;
}
