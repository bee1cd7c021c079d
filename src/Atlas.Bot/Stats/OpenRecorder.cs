using System.Data.Common;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Stats;

/// <summary>
/// Writes buffered opens to the database in batches: at most one write every <see cref="Interval"/> in
/// quiet times, back to back while a backlog lasts. A batch the database refuses stays here and is tried
/// again, so an open that arrives while the database is busy or down is not lost; at shutdown what is left
/// is written before the process ends.
/// </summary>
public sealed partial class OpenRecorder(OpenBuffer buffer, Store store, TimeProvider time, ILogger<OpenRecorder> log) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    internal const int BatchSize = 1000;
    private static readonly TimeSpan LongestRetryWait = TimeSpan.FromSeconds(10);

    // Only ever touched by one loop at a time: ExecuteAsync, then (after it has ended) the final flush.
    private readonly List<(long ItemSeq, DateTimeOffset At)> _batch = new(BatchSize);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = Interval;
        try
        {
            while (_batch.Count > 0 || await buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                Fill();
                var full = _batch.Count == BatchSize;
                if (await TryWriteAsync(stoppingToken))
                {
                    wait = Interval;
                    if (full)
                    {
                        continue;
                    }
                }
                else
                {
                    wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetryWait.Ticks));
                }

                await Task.Delay(wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The web server has stopped by now (it stops before the services it depends on); a late open is refused, not lost silently.
        buffer.Close();
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Writes everything buffered, retrying until done or until the host's shutdown timeout runs out.</summary>
    private async Task FlushAsync(CancellationToken ct)
    {
        var written = 0L;
        try
        {
            while (Fill() > 0 || _batch.Count > 0)
            {
                var count = _batch.Count;
                if (await TryWriteAsync(ct))
                {
                    written += count;
                }
                else
                {
                    await Task.Delay(Interval, time, ct);
                }
            }

            LogFlushed(written);
        }
        catch (OperationCanceledException)
        {
            LogLostAtShutdown(_batch.Count + buffer.Reader.Count);
        }
    }

    /// <summary>Tops the batch up from the buffer, up to <see cref="BatchSize"/>; returns how many it took.</summary>
    private int Fill()
    {
        var taken = 0;
        while (_batch.Count < BatchSize && buffer.Reader.TryRead(out var open))
        {
            _batch.Add(open);
            taken++;
        }

        return taken;
    }

    private async Task<bool> TryWriteAsync(CancellationToken ct)
    {
        if (_batch.Count == 0)
        {
            return true;
        }

        try
        {
            await store.RecordOpensAsync(_batch, ct);
            LogWritten(_batch.Count);
            _batch.Clear();
            return true;
        }
        catch (DbException failure)
        {
            LogWriteFailed(failure, _batch.Count);
            return false;
        }
    }

    [LoggerMessage(EventId = 7004, Level = LogLevel.Debug, Message = "Recorded {Count} opens")]
    private partial void LogWritten(int count);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Could not record {Count} opens; they are kept and tried again")]
    private partial void LogWriteFailed(Exception failure, int count);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "Recorded the last {Count} buffered opens before stopping")]
    private partial void LogFlushed(long count);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Error, Message = "Stopped before {Count} buffered opens could be recorded")]
    private partial void LogLostAtShutdown(int count);
}
