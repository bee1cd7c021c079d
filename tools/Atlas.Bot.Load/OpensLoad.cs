using System.Diagnostics;
using System.Globalization;
using System.Net;
using Atlas.Bot.Cli;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Bot.Load;

/// <summary>
/// The opens scenario: the real service (as `atlas-bot run --dry-run` builds it, SQLite in a temp folder, listening on
/// loopback, 127.0.0.1 its trusted proxy) gets GET /r/{code} at a fixed rate, each request naming its client in
/// X-Forwarded-For as a reverse proxy would. By default every request is a reader of an address of its own, so every one
/// must be counted. With --flood the --rate requests come from one address, each naming a random User-Agent, so at most
/// 30 may count, while --readers R readers a second of their own addresses must all still count. The harness then waits
/// for the buffer to reach the database, compares, and reports the database's size.
/// </summary>
internal static class OpensLoad
{
    private const string Article = "https://atlas.az/en/load-test/";
    private const int WarmUpOpens = 200;
    private const string FloodingAddress = "198.51.100.66";
    private const int FloodLimit = 30;
    private const string ReaderAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    private static readonly TimeSpan FlushPatience = TimeSpan.FromSeconds(30);

    /// <summary>How long the count must stay put once it has reached what is expected: a late surplus would show.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>Who sends a request, and as whom.</summary>
    private readonly record struct Sender(string Address, string UserAgent, bool Flood);

    public static async Task<LoadReport> RunAsync(LoadOptions options, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("atlas-bot-load-").FullName;
        try
        {
            var app = await StartServiceAsync(folder, ct);
            await using (app)
            {
                var store = app.Services.GetRequiredService<Store>();
                var code = await SeedAsync(store, ct);
                var report = await FireAsync(new Uri(app.Urls.First()), code, options, store, ct);
                await app.StopAsync(ct);
                return report with { Database = await DatabaseAsync(folder, ct) };
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<WebApplication> StartServiceAsync(string folder, CancellationToken ct)
    {
        var config = Path.Combine(folder, "appsettings.json");
        await File.WriteAllTextAsync(config, "{}", ct);
        // A feed must be configured; an empty one from a file keeps the poller quiet and off the network.
        await File.WriteAllTextAsync(Path.Combine(folder, "empty.xml"),
            """<?xml version="1.0"?><rss version="2.0"><channel><title>Load</title><link>https://atlas.az/en/</link><description>Load</description></channel></rss>""", ct);
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "atlas-bot.db")}",
            ["Urls"] = "http://127.0.0.1:0",
            ["Feeds:0:Id"] = "load",
            ["Feeds:0:Url"] = "empty.xml",
            ["Feeds:0:Language"] = "en",
            ["Logging:LogLevel:Default"] = "Warning",
            // The harness is the reverse proxy: each request names its client in X-Forwarded-For.
            ["Web:TrustedProxies:0"] = "127.0.0.1",
        };
        var app = RunVerb.Build(new Invocation(Verb.Run, DryRun: true, ConfigPath: config), overrides, out var problems)
            ?? throw new InvalidOperationException("configuration problems: " + string.Join("; ", problems));
        await app.StartAsync(ct);
        return app;
    }

    /// <summary>An analysis as the poller would record it (no channels, so nothing is sent): its code is what readers open.</summary>
    private static async Task<string> SeedAsync(Store store, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await new Outbox(store).QueuePostAsync(
            new ItemRecord("load", "load-1", "Load test analysis", Article, now, null, "en"),
            Post.Text("Load test analysis"),
            channels: [],
            silent: false,
            now,
            ct);
        return (await store.FindTrackedItemByCodeOrLinkAsync(Article, ct))?.Code ?? throw new InvalidOperationException("the seeded item has no code");
    }

    private static async Task<LoadReport> FireAsync(Uri service, string code, LoadOptions options, Store store, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = service,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var perSecond = options.Rate + options.Readers;
        var total = perSecond * options.Seconds;
        var latencies = new double[total];
        var fromSchedule = new double[total];
        var statuses = new HttpStatusCode[total];
        var senders = new Sender[total];
        var requests = new List<Task>(total);
        var opensBefore = await WarmUpAsync(http, code, store, ct);
        var agents = new Random(11);
        var readers = 0;

        // Open loop: request i is due at i / rate seconds, whether or not earlier ones have been answered,
        // so a slow service shows up as latency instead of quietly lowering the rate.
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * perSecond) + 1);
            for (; sent < due; sent++)
            {
                // The --readers requests spread evenly among the --rate ones.
                var extraReader = (long)(sent + 1) * options.Readers / perSecond > (long)sent * options.Readers / perSecond;
                senders[sent] = options.Flood && !extraReader ? new Sender(FloodingAddress, RandomAgent(agents), Flood: true) : ReaderOf(readers++);
                var scheduled = TimeSpan.FromSeconds((double)sent / perSecond);
                requests.Add(SendAsync(http, code, senders[sent], sent, scheduled, clock, latencies, fromSchedule, statuses, ct));
            }

            await Task.Delay(1, ct);
        }

        var sending = clock.Elapsed;
        await Task.WhenAll(requests);
        var answered = clock.Elapsed;

        var redirected = statuses.Count(status => status == HttpStatusCode.Found);
        var flood = senders.Count(sender => sender.Flood);
        var expected = (long)readers + Math.Min(flood, FloodLimit);
        var counted = await WaitForOpensAsync(store, opensBefore + expected, ct) - opensBefore;
        var flushing = clock.Elapsed - answered;
        await Task.Delay(Settle, ct);
        counted = await OpensAsync(store, ct) - opensBefore;
        bool Answered(int i) => statuses[i] != 0;
        return new LoadReport(total, redirected, total - redirected, expected, counted, sending, flushing,
            [.. latencies.Where((_, i) => Answered(i))], [.. fromSchedule.Where((_, i) => Answered(i))])
        {
            Senders = (flood, readers),
            ReaderLatencies = [.. latencies.Where((_, i) => Answered(i) && !senders[i].Flood)],
        };
    }

    /// <summary>Reader n: an address of its own (a /64 of its own: the counter takes an IPv6 /64 for one address) and a common browser.</summary>
    private static Sender ReaderOf(int n) =>
        new(string.Create(CultureInfo.InvariantCulture, $"2001:db8:{n >> 16:x}:{n & 0xffff:x}::1"), ReaderAgent, Flood: false);

    /// <summary>A browser that looks real and is new every time, as a script that wants to be counted would send.</summary>
    private static string RandomAgent(Random random) => string.Create(CultureInfo.InvariantCulture,
        $"Mozilla/5.0 (Linux; Android {random.Next(9, 15)}; SM-{random.Next(100, 999)}{(char)('A' + random.Next(26))}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{random.Next(100, 131)}.0.{random.Next(1000, 9999)}.{random.Next(10, 200)} Mobile Safari/537.36");

    /// <summary>
    /// A few opens one after another before measuring, each a reader of its own address: the service's code is compiled
    /// and the link cached, as in a service that has been running for a while. Returns the opens in the database afterwards.
    /// </summary>
    private static async Task<long> WarmUpAsync(HttpClient http, string code, Store store, CancellationToken ct)
    {
        for (var i = 0; i < WarmUpOpens; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{code}");
            request.Headers.TryAddWithoutValidation("User-Agent", ReaderAgent);
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", string.Create(CultureInfo.InvariantCulture, $"192.0.2.{i}"));
            using var response = await http.SendAsync(request, ct);
        }

        return await WaitForOpensAsync(store, WarmUpOpens, ct);
    }

    private static async Task SendAsync(
        HttpClient http, string code, Sender sender, int index, TimeSpan scheduled, Stopwatch clock,
        double[] latencies, double[] fromSchedule, HttpStatusCode[] statuses, CancellationToken ct)
    {
        // Yield at once: the pacing loop must not wait for the request to be written.
        await Task.Yield();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{code}");
        request.Headers.TryAddWithoutValidation("User-Agent", sender.UserAgent);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", sender.Address);
        var started = clock.Elapsed;
        try
        {
            using var response = await http.SendAsync(request, ct);
            var finished = clock.Elapsed;
            statuses[index] = response.StatusCode;
            latencies[index] = (finished - started).TotalMilliseconds;
            fromSchedule[index] = (finished - scheduled).TotalMilliseconds;
        }
        catch (HttpRequestException)
        {
            // Left at status 0: counted as failed.
        }
    }

    /// <summary>The database file and its WAL in bytes, and the rows of open_counts: storage must follow minutes, not requests.</summary>
    private static async Task<(long File, long Wal, long OpenCountRows)> DatabaseAsync(string folder, CancellationToken ct)
    {
        var file = Path.Combine(folder, "atlas-bot.db");
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM open_counts;";
        var rows = (long)(await command.ExecuteScalarAsync(ct))!;
        static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
        return (SizeOf(file), SizeOf(file + "-wal"), rows);
    }

    /// <summary>Waits until the database holds <paramref name="expected"/> opens, or until the count stops moving.</summary>
    private static async Task<long> WaitForOpensAsync(Store store, long expected, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        long counted;
        while ((counted = await OpensAsync(store, ct)) < expected && deadline.Elapsed < FlushPatience)
        {
            await Task.Delay(50, ct);
        }

        return counted;
    }

    private static async Task<long> OpensAsync(Store store, CancellationToken ct) =>
        (await store.FiguresBetweenAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), itemSeq: null, ct)).Opens;
}
