using System.Diagnostics;

namespace Atlas.Bot.Load;

/// <summary>
/// Busy shell loops that keep cores occupied for as long as they live: the bot then shares the CPU and its sends meet
/// scheduling jitter, as on a crowded host. Killed on dispose.
/// </summary>
internal sealed class CpuHogs : IDisposable
{
    private readonly List<Process> _hogs;

    private CpuHogs(List<Process> hogs) => _hogs = hogs;

    public static CpuHogs Start(int count) =>
        new([.. Enumerable.Range(0, count).Select(_ => Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]))!)]);

    public void Dispose()
    {
        foreach (var hog in _hogs)
        {
            hog.Kill();
            hog.WaitForExit();
            hog.Dispose();
        }
    }
}
