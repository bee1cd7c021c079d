using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Atlas.Bot.Load;

/// <summary>One poll of the feed as the server saw it: when, and which process made it (0 when it could not be told).</summary>
internal sealed record Poll(DateTimeOffset At, int ProcessId);

/// <summary>
/// Serves the bed's feed file over HTTP on a loopback port and notes every poll with the process that made it: the
/// client's socket is looked up in /proc (its port in /proc/net/tcp, its inode among each candidate's open files), so
/// the replicas scenario can tell which replica ran a poll without anything in atlas-bot saying so.
/// </summary>
internal sealed class FeedHost : IAsyncDisposable
{
    /// <summary>The kernel's TCP sockets; a dual-mode client socket (IPv6 with IPv4 mapped) is listed in tcp6.</summary>
    private static readonly string[] SocketTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Poll> _polls = new();

    private FeedHost(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyCollection<Poll> Polls => _polls;

    /// <summary>The processes a poll may come from; the scenario adds each replica as it starts it.</summary>
    public ConcurrentBag<int> Candidates { get; } = [];

    public static async Task<FeedHost> StartAsync(string feedPath, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var host = new FeedHost(app);
        app.MapGet("/feed.xml", async context =>
        {
            host._polls.Enqueue(new Poll(DateTimeOffset.UtcNow, host.ProcessOf(context.Connection.RemotePort)));
            context.Response.ContentType = "application/rss+xml; charset=utf-8";
            await context.Response.SendFileAsync(feedPath, context.RequestAborted);
        });
        await app.StartAsync(ct);
        host.Url = app.Urls.First() + "/feed.xml";
        return host;
    }

    /// <summary>The candidate process that holds the loopback socket whose local port is <paramref name="port"/>; 0 when none does.</summary>
    private int ProcessOf(int port)
    {
        try
        {
            var hexPort = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            var inode = SocketTables.Where(File.Exists).SelectMany(table => File.ReadLines(table).Skip(1))
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length > 9 && fields[1].EndsWith(hexPort, StringComparison.Ordinal))
                .Select(fields => fields[9])
                .FirstOrDefault(found => found != "0");
            if (inode is null)
            {
                return 0;
            }

            var socket = $"socket:[{inode}]";
            foreach (var pid in Candidates)
            {
                var fds = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/fd";
                if (Directory.Exists(fds) && Directory.EnumerateFiles(fds).Any(fd => new FileInfo(fd).LinkTarget == socket))
                {
                    return pid;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A process that ended while it was looked at: the poll stays anonymous.
        }

        return 0;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
