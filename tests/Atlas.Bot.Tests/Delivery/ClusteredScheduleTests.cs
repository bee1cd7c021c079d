using System.Collections.Concurrent;
using Atlas.Bot.Delivery;
using Atlas.Bot.Tests.Storage;
using Atlas.Bot.Tests.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace Atlas.Bot.Tests.Delivery;

/// <summary>Quartz's clustered job store on a throwaway PostgreSQL: two schedulers in one process stand for two replicas.</summary>
public sealed class ClusteredScheduleTests : IAsyncLifetime
{
    private static readonly JobKey Job = new("tick", "test");

    private readonly string _runId = Guid.NewGuid().ToString("N");
    private string _database = "";

    public async Task InitializeAsync()
    {
        // The store's migrations create Quartz's tables (step 9), as they do before a replica's scheduler starts.
        await using var database = await TempDatabase.CreateAsync(Provider.Postgres);
        _database = database.ConnectionString;
    }

    public Task DisposeAsync()
    {
        Ticks.TryRemove(_runId, out _);
        if (Holds.TryRemove(_runId, out var hold))
        {
            hold.Release(int.MaxValue / 2);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Two_replicas_share_one_schedule_each_firing_runs_on_one_of_them_and_a_survivor_carries_on_alone()
    {
        await using var first = await StartReplicaAsync("first");
        await using var second = await StartReplicaAsync("second");

        await Until.TrueAsync(() => Task.FromResult(Fired().Count >= 6), "six ticks", TimeSpan.FromSeconds(30));
        Assert.Equal(2L, await ScalarAsync("SELECT COUNT(*) FROM qrtz_scheduler_state"));

        await first.DisposeAsync();
        var before = Fired().Count;
        await Until.TrueAsync(() => Task.FromResult(Fired().Count >= before + 3), "three ticks on the survivor", TimeSpan.FromSeconds(30));

        var fired = Fired();
        Assert.Equal(fired.Count, fired.Select(tick => tick.Scheduled).Distinct().Count());
        Assert.All(fired.Skip(before), tick => Assert.Equal("second", tick.Replica));
    }

    [Fact]
    public async Task When_the_replica_running_a_job_dies_another_runs_it_within_thirty_seconds()
    {
        // The first replica connects as a role of its own, so that it can be cut off from the database: it can then
        // neither check in nor finish, as a replica whose host died, while its poll is marked running (BLOCKED).
        var firstRole = await RoleAsync("replica_first");
        Holds[_runId] = new SemaphoreSlim(0);
        await using var first = await StartReplicaAsync("first", firstRole);
        await Until.TrueAsync(() => Task.FromResult(Fired().Count >= 1), "the first replica to start a tick", TimeSpan.FromSeconds(30));
        await using var second = await StartReplicaAsync("second");

        await ExecuteAsync("ALTER ROLE replica_first NOLOGIN; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'replica_first';");
        var cutOff = DateTimeOffset.UtcNow;
        await Until.TrueAsync(() => Task.FromResult(Fired().Any(tick => tick.Replica == "second")), "the second replica to run the job", TimeSpan.FromSeconds(40));
        var movedAfter = DateTimeOffset.UtcNow - cutOff;

        // Let the first replica back in, so that it can shut down (Quartz retries the database until it answers).
        Holds[_runId].Release(int.MaxValue / 2);
        await ExecuteAsync("ALTER ROLE replica_first LOGIN;");
        Assert.True(movedAfter < TimeSpan.FromSeconds(30), $"the job moved after {movedAfter.TotalSeconds:0.0} s");
        Console.WriteLine($"A dead replica's job moved to the survivor {movedAfter.TotalSeconds:0.0} s after it was cut off");
    }

    private async Task<string> RoleAsync(string role)
    {
        await ExecuteAsync($"CREATE ROLE {role} LOGIN; GRANT ALL ON ALL TABLES IN SCHEMA public TO {role};");
        return new NpgsqlConnectionStringBuilder(_database) { Username = role }.ConnectionString;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private List<(string Replica, DateTimeOffset Scheduled)> Fired() => [.. Ticks.GetOrAdd(_runId, _ => []).OrderBy(tick => tick.Scheduled)];

    private async Task<Replica> StartReplicaAsync(string name, string? connectionString = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddQuartz(quartz =>
        {
            quartz.UseClusteredStore(connectionString ?? _database);
            quartz.ConfigureScheduler(options => options.InstanceId = name);
            quartz.AddJob<TickJob>(job => job.WithIdentity(Job).UsingJobData("run", _runId));
            quartz.AddTrigger(trigger => trigger.ForJob(Job).WithIdentity("tick-every-second", "test")
                .WithSimpleSchedule(every => every.WithInterval(TimeSpan.FromSeconds(1)).RepeatForever()));
        });
        var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        return new Replica(provider, scheduler);
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static readonly ConcurrentDictionary<string, ConcurrentBag<(string Replica, DateTimeOffset Scheduled)>> Ticks = new();

    /// <summary>Where a run holds the first replica's ticks: they run until released, as a poll stuck on a slow feed.</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Holds = new();

    private sealed class Replica(ServiceProvider provider, IScheduler scheduler) : IAsyncDisposable
    {
        private bool _disposed;

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await scheduler.Shutdown(waitForJobsToComplete: true);
            await provider.DisposeAsync();
        }
    }

    [DisallowConcurrentExecution]
    private sealed class TickJob : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var run = context.MergedJobDataMap.GetString("run")!;
            var replica = context.Scheduler.SchedulerInstanceId;
            Ticks.GetOrAdd(run, _ => []).Add((replica, context.ScheduledFireTimeUtc ?? context.FireTimeUtc));
            if (replica == "first" && Holds.TryGetValue(run, out var hold))
            {
                await hold.WaitAsync(cancellationToken);
            }
        }
    }
}
