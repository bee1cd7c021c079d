namespace Atlas.Bot.Web;

/// <summary>When this process's host started: readiness gives the first polls a grace period from here.</summary>
public sealed class ServiceStart(TimeProvider time) : IHostedService
{
    private DateTimeOffset? _at;

    /// <summary>The start; until the host has started, "now" (everything is still starting).</summary>
    public DateTimeOffset At => _at ?? time.GetUtcNow();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _at = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
