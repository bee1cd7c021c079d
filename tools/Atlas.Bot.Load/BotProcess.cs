using System.Diagnostics;
using System.Globalization;

namespace Atlas.Bot.Load;

/// <summary>
/// The real atlas-bot program as a child process (`dotnet atlas-bot.dll run`), so that its memory is its own and it
/// can be killed like a crashing server. Its peak resident memory is read from /proc while it runs.
/// </summary>
internal sealed class BotProcess : IAsyncDisposable
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(250);

    private readonly Process _process;
    private readonly CancellationTokenSource _sampling = new();
    private readonly Task _sampler;
    private readonly Queue<string> _lastLines = new();
    private int _paceLowered;
    private int _paceRaised;
    private long _peakKilobytes;
    private long _cpuTicks;

    private BotProcess(Process process)
    {
        _process = process;
        _sampler = SampleAsync(_sampling.Token);
    }

    /// <summary>The highest resident set seen (VmHWM), in MB; survives the process's death.</summary>
    public double PeakMegabytes => Interlocked.Read(ref _peakKilobytes) / 1024.0;

    /// <summary>CPU time the process used (user and system), as last sampled.</summary>
    public TimeSpan Cpu => TimeSpan.FromSeconds(Interlocked.Read(ref _cpuTicks) / 100.0);

    public bool HasExited => _process.HasExited;

    /// <summary>The process id, as atlas-bot writes it into its claims and leases (host/pid/random).</summary>
    public int Id => _process.Id;

    /// <summary>How often the bot's rate governor logged that it lowered, and raised, its pace (event ids 4410 and 4411).</summary>
    public (int Lowered, int Raised) PaceChanges => (Volatile.Read(ref _paceLowered), Volatile.Read(ref _paceRaised));

    /// <summary>The last lines the program wrote, for a report when it fails.</summary>
    public string Tail
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join(Environment.NewLine, _lastLines);
            }
        }
    }

    public static BotProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ProgramPath);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(Path.Combine(workingDirectory, "appsettings.json"));

        // Nothing of this machine's own configuration may leak in.
        foreach (var key in start.Environment.Keys.Where(key => key.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        process.Start();
        var bot = new BotProcess(process);
        process.OutputDataReceived += (_, line) => bot.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => bot.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    /// <summary>kill -9: no shutdown, no grace, as a crash or the OOM killer would end it.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        await _sampling.CancelAsync();
        await _sampler;
        _sampling.Dispose();
        _process.Dispose();
    }

    /// <summary>The program the release build of src/Atlas.Bot produced (building this harness builds it).</summary>
    private static string ProgramPath =>
        Path.Combine(RepositoryRoot, "src", "Atlas.Bot", "bin", "Release", "net10.0", "atlas-bot.dll");

    private static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Atlas.Bot.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Atlas.Bot.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.Contains("RateGovernor[4410]", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _paceLowered);
        }
        else if (line.Contains("RateGovernor[4411]", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _paceRaised);
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        var status = $"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status";
        var stat = $"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/stat";
        while (!ct.IsCancellationRequested && !_process.HasExited)
        {
            try
            {
                // VmHWM is the kernel's own high-water mark, so a spike between two samples is not missed.
                foreach (var line in await File.ReadAllLinesAsync(status, ct))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                        && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture, out var kilobytes))
                    {
                        InterlockedMax(ref _peakKilobytes, kilobytes);
                    }
                }

                // utime and stime, fields 14 and 15, in clock ticks (100 a second on Linux); the name (field 2) may hold spaces.
                var fields = (await File.ReadAllTextAsync(stat, ct)).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 12
                    && long.TryParse(fields[11], CultureInfo.InvariantCulture, out var user)
                    && long.TryParse(fields[12], CultureInfo.InvariantCulture, out var system))
                {
                    Interlocked.Exchange(ref _cpuTicks, user + system);
                }

                await Task.Delay(SampleEvery, ct);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                // The process ended between two samples, or sampling was stopped.
                return;
            }
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target))
               && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
