using System.Diagnostics.Metrics;
using Atlas.Bot.Storage;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Atlas.Bot.Tests;

/// <summary>
/// Two replicas, each with its own store on one SQLite file, its own identity and a fake clock, compete for one job.
/// A replica's "leading" is a term: from the start of its lead until the token it was given is cancelled.
/// </summary>
public sealed class LeadershipTests : IAsyncLifetime, IDisposable
{
    private const string Job = "job";
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly CapturingLoggerProvider _logs = new();
    private readonly TestMeterFactory _meters = new();
    private readonly ILoggerFactory _loggers;
    private readonly List<Replica> _replicas = [];
    private readonly ITestOutputHelper _output;
    private TempDatabase _db = null!;

    public LeadershipTests(ITestOutputHelper output)
    {
        _output = output;
        _loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
    }

    public async Task InitializeAsync() => _db = await TempDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _db.DisposeAsync();
    }

    public void Dispose()
    {
        _loggers.Dispose();
        _meters.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task Of_two_replicas_one_leads_and_the_other_stands_by_while_the_leader_renews()
    {
        var time = new FakeTimeProvider(Start);
        var a = await LeadingAsync(time);
        var b = await StandingByAsync(time, behind: a);

        await StepAsync(TimeSpan.FromMinutes(2), time);

        Assert.Equal((1, 0), (a.Terms.Count, b.Terms.Count));
        Assert.Null(a.Terms[0].Stopped);
        Assert.Equal([1, 0], LeaderGauges());
        Assert.Single(_logs.Messages, line => line.Contains("Leading job as " + a.Id, StringComparison.Ordinal));
        Assert.Single(_logs.Messages, line => line.Contains("Standing by for job: held by " + a.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dead_leaders_job_moves_to_the_other_within_thirty_seconds_of_its_last_renewal_and_not_before_its_lease_ended()
    {
        // Two clocks that run together until the leader dies; a dead process's clock stops, so none of its timers fire again.
        var deadClock = new FakeTimeProvider(Start);
        var clock = new FakeTimeProvider(Start);
        var a = await LeadingAsync(deadClock);
        var b = await StandingByAsync(clock, behind: a);
        await StepAsync(TimeSpan.FromSeconds(23), deadClock, clock);

        await Task.Delay(100);
        var lastUntil = DateTimeOffset.FromUnixTimeMilliseconds(await _db.CountAsync("SELECT until FROM leases WHERE name = 'job'"));
        var lastRenewal = lastUntil - Leadership.Lease;
        var diedAt = clock.GetUtcNow();
        await StepAsync(TimeSpan.FromMinutes(1), clock, until: () => b.Terms.Count > 0);

        var takeover = Assert.Single(b.Terms).Started;
        _output.WriteLine($"last renewal {lastRenewal:HH:mm:ss.fff}, died {diedAt:HH:mm:ss.fff}, taken over {takeover:HH:mm:ss.fff}: "
            + $"{(takeover - lastRenewal).TotalSeconds:0.0} s after the last renewal, {(takeover - diedAt).TotalSeconds:0.0} s after the death");
        Assert.InRange(takeover, lastUntil, lastRenewal + TimeSpan.FromSeconds(30));
        Assert.InRange(takeover - lastRenewal, Leadership.Lease, Leadership.Lease + Leadership.StandbyRetry + Step);
    }

    [Fact]
    public async Task A_process_restarted_on_the_same_host_after_a_crash_takes_its_dead_predecessors_lease_at_once()
    {
        using var slots = new TempFolder();
        var deadClock = new FakeTimeProvider(Start);
        var clock = new FakeTimeProvider(Start);
        var crashed = ReplicaIdentity.Claim(slots.Path);
        var a = await LeadingAsync(deadClock, identity: crashed);
        await StepAsync(TimeSpan.FromSeconds(6), deadClock, clock);
        var until = DateTimeOffset.FromUnixTimeMilliseconds(await _db.CountAsync("SELECT until FROM leases WHERE name = 'job'"));

        // SIGKILL: the process's clock stops and the operating system drops its slot's lock.
        crashed.Dispose();
        using var restarted = ReplicaIdentity.Claim(slots.Path);
        var b = await LeadingAsync(clock, identity: restarted);

        Assert.Equal(crashed.Id, restarted.Predecessor);
        Assert.True(b.Terms[0].Started < until, $"the restarted process waited for its predecessor's lease to end at {until:HH:mm:ss.fff}");
        Assert.Single(a.Terms);
    }

    [Fact]
    public async Task A_leader_cut_off_from_the_database_stops_before_its_lease_ends_and_nobody_leads_before_it_ended()
    {
        var time = new FakeTimeProvider(Start);
        var a = await LeadingAsync(time, busyTimeoutSeconds: 1);
        var b = await StandingByAsync(time, behind: a, busyTimeoutSeconds: 1);
        var granted = DateTimeOffset.FromUnixTimeMilliseconds(await _db.CountAsync("SELECT until FROM leases WHERE name = 'job'"));

        // Another connection holds the write lock: the leader's renewals (and the other's attempts) find the file busy.
        await using (var locked = new SqliteConnection(_db.ConnectionString))
        {
            await locked.OpenAsync();
            // BEGIN IMMEDIATE; rolled back when disposed (a pooled connection would otherwise keep the lock).
            await using var transaction = locked.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);
            await StepAsync(TimeSpan.FromSeconds(13), time);
            Assert.NotNull(a.Terms[0].Stopped);
        }

        // The database back: whoever asks first leads again (the old leader may, its row still names it), never both.
        await StepAsync(TimeSpan.FromMinutes(1), time, until: () => a.Terms.Count + b.Terms.Count > 1);

        var stopped = a.Terms[0].Stopped!.Value;
        var next = a.Terms.Skip(1).Concat(b.Terms).Single();
        _output.WriteLine($"lease granted until {granted:HH:mm:ss.fff}; leader stopped {stopped:HH:mm:ss.fff}; led again from {next.Started:HH:mm:ss.fff}");
        Assert.InRange(stopped, granted - Leadership.Margin, granted - Leadership.Margin + Step);
        Assert.True(b.Terms.All(term => term.Started >= granted), $"the other replica led before the lease ended at {granted:HH:mm:ss.fff}");
        Assert.True(next.Started >= stopped);
        Assert.Single(_logs.Messages, line => line.Contains("Stopped leading job (not renewed in time), 5 s before the lease ends", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_clean_stop_hands_the_job_over_at_the_others_next_attempt()
    {
        var time = new FakeTimeProvider(Start);
        var a = await LeadingAsync(time);
        var b = await StandingByAsync(time, behind: a);
        await StepAsync(TimeSpan.FromSeconds(7), time);

        await a.StopAsync();
        var stoppedAt = time.GetUtcNow();
        await StepAsync(TimeSpan.FromMinutes(1), time, until: () => b.Terms.Count > 0);

        Assert.Equal(0, await _db.CountAsync("SELECT COUNT(*) FROM leases WHERE holder = '" + a.Id + "'"));
        Assert.InRange(Assert.Single(b.Terms).Started - stoppedAt, TimeSpan.Zero, Leadership.StandbyRetry + Step);
        Assert.Single(_logs.Messages, line => line.Contains("Released job", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_job_that_ends_by_itself_releases_its_lease_and_is_not_started_again()
    {
        var time = new FakeTimeProvider(Start);
        var replica = Replica.Create(_db, null, time, _loggers, _meters);
        _replicas.Add(replica);
        var runs = 0;

        await replica.Leadership.RunAsync(Job, _ => Task.FromResult(Interlocked.Increment(ref runs)), CancellationToken.None);

        Assert.Equal(1, runs);
        Assert.Equal(0, await _db.CountAsync("SELECT COUNT(*) FROM leases"));
    }

    [Fact]
    public async Task What_follows_a_job_runs_on_its_leader_only_and_the_job_moves_on_only_after_it_stopped()
    {
        var time = new FakeTimeProvider(Start);
        var a = await LeadingAsync(time);
        var b = await StandingByAsync(time, behind: a);
        var events = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var following = a.Follow(async term =>
        {
            events.Enqueue("a follows");
            await Task.Delay(Timeout.Infinite, term).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // Slow to stop, as a handler in the middle of an update is: the term waits for it.
            await Task.Delay(300, CancellationToken.None);
            events.Enqueue("a stopped following");
        });
        var standingBy = b.Follow(term =>
        {
            events.Enqueue("b follows");
            return Task.Delay(Timeout.Infinite, term);
        });
        await Until.TrueAsync(() => events.Contains("a follows"), "the leader's follower to start");
        await StepAsync(TimeSpan.FromSeconds(30), time);
        Assert.Equal(["a follows"], events);

        await a.StopAsync();
        await StepAsync(TimeSpan.FromMinutes(1), time, until: () => events.Contains("b follows"));

        Assert.Equal(["a follows", "a stopped following", "b follows"], events);
        Assert.True(following.IsCompleted);
        Assert.False(standingBy.IsCompleted);
    }

    /// <summary>atlas.bot.leader of each replica, in the order they started.</summary>
    private List<int> LeaderGauges()
    {
        var values = new List<int>();
        var meters = _meters.Created;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, each) =>
        {
            if (instrument.Name == "atlas.bot.leader" && meters.Contains(instrument.Meter))
            {
                each.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => values.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    private async Task<Replica> LeadingAsync(FakeTimeProvider time, int? busyTimeoutSeconds = null, ReplicaIdentity? identity = null)
    {
        var replica = Replica.Create(_db, busyTimeoutSeconds, time, _loggers, _meters, identity);
        _replicas.Add(replica);
        replica.Run();
        await Until.TrueAsync(() => replica.Terms.Count == 1, "the first replica to lead");
        return replica;
    }

    private async Task<Replica> StandingByAsync(FakeTimeProvider time, Replica behind, int? busyTimeoutSeconds = null)
    {
        var replica = Replica.Create(_db, busyTimeoutSeconds, time, _loggers, _meters);
        _replicas.Add(replica);
        replica.Run();
        await Until.TrueAsync(() => _logs.Messages.Any(line => line.Contains("held by " + behind.Id, StringComparison.Ordinal)), "the second replica to stand by");
        return replica;
    }

    /// <summary>Moves the clocks on in small steps, letting the replicas' loops run between them.</summary>
    private static async Task StepAsync(TimeSpan span, FakeTimeProvider time, FakeTimeProvider? other = null, Func<bool>? until = null)
    {
        for (var passed = TimeSpan.Zero; passed < span && !(until?.Invoke() ?? false); passed += Step)
        {
            time.Advance(Step);
            other?.Advance(Step);
            await Task.Delay(3);
        }
    }

    private static Task StepAsync(TimeSpan span, FakeTimeProvider time, Func<bool> until) => StepAsync(span, time, null, until);

    private sealed class Term(DateTimeOffset started)
    {
        public DateTimeOffset Started { get; } = started;

        public DateTimeOffset? Stopped { get; set; }
    }

    private sealed class Replica(Leadership leadership, string id, TimeProvider time, Store store) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Term> _terms = [];
        private Task _running = Task.CompletedTask;

        public Leadership Leadership { get; } = leadership;

        public string Id { get; } = id;

        public IReadOnlyList<Term> Terms
        {
            get
            {
                lock (_terms)
                {
                    return [.. _terms];
                }
            }
        }

        public static Replica Create(TempDatabase db, int? busyTimeoutSeconds, TimeProvider time, ILoggerFactory loggers, TestMeterFactory meters, ReplicaIdentity? given = null)
        {
            var connection = busyTimeoutSeconds is { } seconds ? $"{db.ConnectionString};Default Timeout={seconds}" : db.ConnectionString;
            var identity = given ?? ReplicaIdentity.ForThisProcess();
            var store = new Store(Options.Create(new StorageOptions { ConnectionString = connection }), identity.Id);
            return new Replica(new Leadership(store, identity, new BotMetrics(meters, time), time, loggers.CreateLogger<Leadership>()), identity.Id, time, store);
        }

        public void Run() => _running = Leadership.RunAsync(Job, LeadAsync, _stop.Token);

        /// <summary>Runs <paramref name="follow"/> whenever this replica leads the job, until it stops.</summary>
        public Task Follow(Func<CancellationToken, Task> follow) => Leadership.FollowAsync(Job, follow, _stop.Token);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _running;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
            await store.DisposeAsync();
        }

        private async Task LeadAsync(CancellationToken leading)
        {
            var term = new Term(time.GetUtcNow());
            lock (_terms)
            {
                _terms.Add(term);
            }

            // Runs inside the clock's Advance that cancels it: the time of the stop is exact.
            await using var stopped = leading.Register(() => term.Stopped = time.GetUtcNow());
            await Task.Delay(Timeout.Infinite, leading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
