using System.Diagnostics;
using System.Text;

namespace Atlas.Bot.Tests.Cli;

/// <summary>Runs the built atlas-bot program as a separate process, as ops and editors run it.</summary>
public sealed class AtlasBotProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private AtlasBotProcess(Process process) => _process = process;

    /// <summary>The repository's root (the folder holding Atlas.Bot.sln).</summary>
    public static string RepositoryRoot
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

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static AtlasBotProcess Start(string workingDirectory, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "atlas-bot.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Nothing of the test machine's own configuration may leak in.
        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var running = new AtlasBotProcess(process);
        process.OutputDataReceived += (_, e) => Append(running._output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(running._error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>The process id, as ops' tools see it (`dotnet atlas-bot.dll` runs the program in this process).</summary>
    public int Id => _process.Id;

    /// <summary>Sends SIGTERM, as `docker stop` and Kubernetes do.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL, as a crash or the OOM killer ends it: no shutdown, nothing handed back.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit by itself; returns its exit code.</summary>
    /// <exception cref="TimeoutException">It was still running after <paramref name="timeout"/>.</exception>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"atlas-bot was still running {timeout.TotalSeconds:0} s later.");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits until standard output satisfies <paramref name="condition"/>, or the timeout passes.</summary>
    public async Task<bool> WaitForOutputAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            if (condition(Output))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition(Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
