using System.Collections.Concurrent;
using Atlas.Bot.Delivery;
using Atlas.Bot.Storage;
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
        _database = await PostgresServer.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var schema = new NpgsqlCommand(QuartzSchema.Postgres(), connection);
        await schema.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        Ticks.TryRemove(_runId, out _);
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

    private List<(string Replica, DateTimeOffset Scheduled)> Fired() => [.. Ticks.GetOrAdd(_runId, _ => []).OrderBy(tick => tick.Scheduled)];

    private async Task<Replica> StartReplicaAsync(string name)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddQuartz(quartz =>
        {
            quartz.UseClusteredStore(_database);
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
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var run = context.MergedJobDataMap.GetString("run")!;
            Ticks.GetOrAdd(run, _ => []).Add((context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc ?? context.FireTimeUtc));
            return ValueTask.CompletedTask;
        }
    }
}
