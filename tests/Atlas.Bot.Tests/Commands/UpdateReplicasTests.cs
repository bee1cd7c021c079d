using System.Text.Json;
using Atlas.Bot.Commands;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telegram.Bot;
using Telegram.Bot.Types;
using static Atlas.Bot.Tests.Commands.Updates;

namespace Atlas.Bot.Tests.Commands;

/// <summary>
/// Two bot processes (replicas) on one database share one inbox: each update is handled by exactly one of them. A
/// button press is answered straight away (answerCallbackQuery, no outbox, no idempotency key), so the fake Bot API
/// counts how many times each update was handled.
/// </summary>
public abstract class UpdateReplicasTests(Provider provider)
{
    [Fact]
    public async Task Two_processors_on_one_inbox_handle_every_update_exactly_once()
    {
        await using var first = await CommandHarness.StartAsync(provider: provider);
        await using var second = first.StartReplica();
        const int Commands = 100;
        const int Presses = 100;
        var updates = new List<InboxUpdate>();
        for (var i = 0; i < Commands + Presses; i++)
        {
            var update = i % 2 == 0 ? Text(3000 + i, "/help") : Callback(3000 + i, 1, "expired:" + i);
            updates.Add(new InboxUpdate(i + 1, Json(update, i + 1)));
        }

        await first.Store.AddToInboxAsync(updates, null, DateTimeOffset.UtcNow, CancellationToken.None);
        // A processor handles its batch one update at a time, so two calls at once come from both: the first waits for
        // the second (at most 30 s), however slow the machine is to start the other processor.
        using var bothAtWork = new CountdownEvent(2);
        var calls = 0;
        first.Telegram.Fault = _ =>
        {
            if (Interlocked.Increment(ref calls) <= 2)
            {
                bothAtWork.Signal();
                bothAtWork.Wait(TimeSpan.FromSeconds(30));
            }

            return null;
        };

        var handled = await Task.WhenAll(DrainAsync(first.Processor), DrainAsync(second.Processor));

        Assert.All(handled, count => Assert.True(count > 0, "each replica handled some of the updates"));
        Assert.Equal(Commands, (await first.RepliesAsync()).Count);
        var answers = first.Telegram.CallbackAnswers.Select(answer => answer.CallbackQueryId).ToList();
        Assert.Equal(Presses, answers.Count);
        Assert.Equal(Presses, answers.Distinct().Count());
        Assert.Equal(0, await first.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL"));
        Assert.Equal(2, await first.Database.CountAsync("SELECT COUNT(DISTINCT claimed_by) FROM inbox"));
    }

    [Fact]
    public async Task Updates_a_dead_replica_claimed_and_handled_but_never_marked_are_handled_after_its_lease_and_act_once()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        void UseClock(IServiceCollection services) => services.AddSingleton<TimeProvider>(clock);
        await using var survivor = await CommandHarness.StartAsync(UseClock, provider: provider);
        var dead = survivor.StartReplica(UseClock);
        await survivor.Store.AddToInboxAsync(
            [new InboxUpdate(1, Json(Text(2001, "/help"), 1)), new InboxUpdate(2, Json(Text(2002, "/help"), 2))], null, clock.GetUtcNow(), CancellationToken.None);

        // The dead replica handled both, then died before marking them: its claims and its replies stay behind.
        Assert.Equal(2, await dead.Processor.HandlePendingAsync(CancellationToken.None));
        await survivor.Database.CountAsync("UPDATE inbox SET handled_at = NULL RETURNING 0");
        await dead.DisposeAsync();

        Assert.Equal(0, await survivor.Processor.HandlePendingAsync(CancellationToken.None));
        clock.Advance(UpdateProcessor.Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await survivor.Processor.HandlePendingAsync(CancellationToken.None));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await survivor.Processor.HandlePendingAsync(CancellationToken.None));

        Assert.Equal(0, await survivor.Database.CountAsync("SELECT COUNT(*) FROM inbox WHERE handled_at IS NULL"));
        Assert.Equal(["2001", "2002"], (await survivor.RepliesAsync()).Select(reply => reply.Chat));
    }

    [Fact]
    public async Task A_replica_whose_lease_ran_out_neither_handles_nor_marks_what_another_claimed_since()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        await using var late = await CommandHarness.StartAsync(services => services.AddSingleton<TimeProvider>(clock), provider: provider);
        await late.Store.AddToInboxAsync([new InboxUpdate(1, Json(Callback(2001, 1, "expired"), 1))], null, clock.GetUtcNow(), CancellationToken.None);
        Assert.Single(await late.Store.ClaimUpdatesAsync(clock.GetUtcNow(), 10, UpdateProcessor.Lease, CancellationToken.None));

        // A stall longer than the lease: another replica claimed the update meanwhile.
        clock.Advance(UpdateProcessor.Lease);
        await using var other = late.Database.OpenAnotherStore();
        Assert.Single(await other.ClaimUpdatesAsync(clock.GetUtcNow(), 10, UpdateProcessor.Lease, CancellationToken.None));

        Assert.False(await late.Store.RenewUpdateLeaseAsync(1, clock.GetUtcNow() + UpdateProcessor.Lease, CancellationToken.None));
        Assert.False(await late.Store.MarkHandledAsync(1, null, clock.GetUtcNow(), CancellationToken.None));
        Assert.True(await other.MarkHandledAsync(1, null, clock.GetUtcNow(), CancellationToken.None));
        Assert.Empty(late.Telegram.CallbackAnswers);
    }

    [Fact]
    public async Task Updates_released_at_shutdown_are_claimed_by_another_replica_at_once_not_after_the_lease()
    {
        await using var stopping = await CommandHarness.StartAsync(provider: provider);
        await stopping.Store.AddToInboxAsync([new InboxUpdate(1, Json(Text(2001, "/help"), 1))], null, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Single(await stopping.Store.ClaimUpdatesAsync(DateTimeOffset.UtcNow, 10, UpdateProcessor.Lease, CancellationToken.None));

        Assert.Equal(1, await stopping.Store.ReleaseUpdatesAsync(CancellationToken.None));

        await using var other = stopping.Database.OpenAnotherStore();
        Assert.Single(await other.ClaimUpdatesAsync(DateTimeOffset.UtcNow, 10, UpdateProcessor.Lease, CancellationToken.None));
    }

    /// <summary>Handles batches until the inbox has nothing left to claim; returns how many updates this processor took.</summary>
    private static async Task<int> DrainAsync(UpdateProcessor processor)
    {
        await Task.Yield();
        var total = 0;
        while (await processor.HandlePendingAsync(CancellationToken.None) is var count and > 0)
        {
            total += count;
        }

        return total;
    }

    private static string Json(Update update, int id)
    {
        update.Id = id;
        return JsonSerializer.Serialize(update, JsonBotAPI.Options);
    }
}

public sealed class UpdateReplicasTests_Sqlite() : UpdateReplicasTests(Provider.Sqlite);

public sealed class UpdateReplicasTests_Postgres() : UpdateReplicasTests(Provider.Postgres);
